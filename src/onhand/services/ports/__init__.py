"""Ports: what the services need from the outside world, as Protocols on the services' side.

One module per business area holds the repositories of that area, each with exactly the
methods the services call; `unit_of_work.UnitOfWork` binds them to one transaction. The
adapters implement them (adapters/db/uow.py); the services import only these. A new
repository method goes into its port first, then into the adapter (docs/architecture.md).
This package imports the domain and nothing else of the services.
"""

from onhand.services.ports.unit_of_work import UnitOfWork

__all__ = ["UnitOfWork"]
