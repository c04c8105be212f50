"""Database errors a retry of the whole write may not meet again, as the domain's
`TransientConflict` (a lock timeout, a deadlock, a concurrent insert of the same unique key, a
connection the server dropped): translated here, at the boundary, so that no SQLAlchemy error
reaches services or users."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from onhand.domain.errors import TransientConflict

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that passed
# PostgreSQL SQLSTATEs worth a retry: serialization failure, deadlock, lock not available.
_RETRYABLE_SQLSTATES = {"40001", "40P01", LOCK_NOT_AVAILABLE}


def is_retryable(exc: DBAPIError) -> bool:
    """Whether a database error is one a retry of the whole write may not meet again."""
    if exc.connection_invalidated:
        # The server closed the connection (restart, idle timeout): the pool has dropped
        # it, and nothing of the transaction was committed, so a retry is safe.
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if isinstance(exc, IntegrityError):
        # Two transactions inserted the same unique key: the retry sees the winner's row.
        return sqlstate == "23505" or "UNIQUE constraint failed" in str(exc.orig)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


def as_transient(exc: DBAPIError) -> TransientConflict:
    """A database error as the transient conflict a retry of the whole write may not meet
    again, saying what the driver said (its first line)."""
    return TransientConflict(str(exc.orig).splitlines()[0])
