"""What goes over the wire: Pydantic request models (`…In`) and responses (`…Out`).

Requests name exactly the fields a service takes and forbid unknown ones; responses are
built from the services' read models with `Out.of(view)`. Quantities and money leave as
decimal strings ("2.5"); dates and times as ISO 8601.
"""
