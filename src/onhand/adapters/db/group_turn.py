"""The turn that the groups of all server processes take at a PostgreSQL database.

Groups that lock rows run one at a time, across processes, as SQLite's one writer has them:
two groups each running several postings one after the other take the same balance rows and
valuation locks in different orders, and deadlocked over and over (docs/architecture.md,
"Group commit in the server"). The turn is an advisory lock, `GROUP_TURN_KEY`, held by the
session, not the transaction, because:

- a group takes it **at its first statement that locks or writes**, often inside a request's
  savepoint, whose rollback would let go of a transaction's lock (advisory ones too). Until
  then a group only reads, and reads take no row lock, so a group waiting for the turn holds
  nothing another waits for. The reads, and the Python around them (parsing, checking,
  building an order), run beside the other process's group; only locking statements wait;
- a group **lets go of it before its COMMIT**: the next group runs while this one's commit is
  written to disk, and cannot deadlock with it (a committing transaction waits for no lock);
- a group that fails lets go of it after its rollback, or its connection is closed: a pooled
  connection must not keep it.

A group may take it earlier, when a unit of work says it is about to write
(`take_turn_now`, `UnitOfWork.about_to_write`): a posting reads its clock there
(`services/ledger/postings.py: clock_in_turn`): adjustments and relocations, together or
alone, once their postings are built; a count or a build at its start; one of a document (a
shipment, a receipt) locks the document first, which takes the turn. Read before it, the
clock could fall behind another process's group that committed later moves of the same item
meanwhile, and the posting was valued as backdated (its item's later moves re-valued): 32
clients' adjustments run together on two processes fell from 203-216/s to 166-174/s that way;
with the clock read in turn they run lazily as orders do, 225-248/s → 233-283/s
(benchmarks/README.md, eighth session).
"""

from __future__ import annotations

import logging
import time
import weakref

from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError

from onhand.adapters.db.hot import run_sql
from onhand.adapters.db.transient import LOCK_NOT_AVAILABLE
from onhand.domain.errors import TransientConflict

log = logging.getLogger(__name__)

# One turn per schema: Onhands in one database's schemas (tests running side by side, say)
# share no rows, so they wait for no one else's groups. The schema is the connection's for
# its life (its search_path), so the key taken is the key let go.
GROUP_TURN_KEY = "hashtext(concat(current_schema(), ':onhand.group-turn'))"
# Waited for longer than the group's lock timeout (which is set around it, for a savepoint's
# rollback to restore), since every group takes its turn; but not for ever: a turn kept by a
# stuck process fails the groups behind it (a TransientConflict, a retryable answer; the rest
# of such a group fails at once) instead of hanging every writer of the database.
TURN_WAIT_MS = 10_000
_TAKE = ("SET LOCAL lock_timeout = {turn}; SELECT pg_advisory_lock(" + GROUP_TURN_KEY + "); "
         "SET LOCAL lock_timeout = '{wait}ms'")
_SLOW_TURN_S = 1.0  # a wait worth a line in the log: groups hold the turn for milliseconds
_LET_GO = f"SELECT pg_advisory_unlock({GROUP_TURN_KEY})"
# Statements a group runs without its turn: plain reads and the transaction's own bookkeeping.
_FREE = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW")
_LOCKING = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE", "advisory")


class GroupTurn:
    """One group's turn on its connection (PostgreSQL), taken at its first locking statement
    (`when_locking`) or before (`take`), let go of by `let_go` or `close`."""

    def __init__(self, conn: Connection, lock_wait_ms: int) -> None:
        self._conn = conn
        self._take = _TAKE.format(turn=int(TURN_WAIT_MS), wait=int(lock_wait_ms))
        self.held = False
        self.refused = False  # its wait for the turn timed out
        _turns[conn] = self

    def take(self) -> None:
        if self.held:
            return
        if self.refused:  # the rest of the group fails at once, not a whole wait each
            raise TransientConflict(f"the database's turn to write was not free in {TURN_WAIT_MS} ms")
        self.held = True  # first: the statement below passes the statement hook too
        started = time.perf_counter()
        try:
            run_sql(self._conn, self._take)
        except BaseException as exc:
            self.held = False
            self.refused = isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE
            raise
        waited = time.perf_counter() - started
        if waited > _SLOW_TURN_S:
            log.warning("a group waited %.1f s for its turn at the database", waited)

    def when_locking(self) -> None:
        """Take the turn just before the group's first statement that locks or writes."""
        event.listen(self._conn, "before_cursor_execute", self._before_statement)

    def _before_statement(self, conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if not self.held and locks(statement):
            self.take()

    def let_go(self) -> None:
        """Before the group's COMMIT, its statements done."""
        if self.held:
            run_sql(self._conn, _LET_GO)
            self.held = False

    def close(self) -> None:
        """After the group's transaction ended, however: no connection back in the pool keeps
        the turn (a lost connection's session has ended, and its lock with it)."""
        _turns.pop(self._conn, None)
        if self.held and not self._conn.invalidated:
            try:
                self.let_go()
            except DBAPIError:
                self._conn.invalidate()
        self.held = False


# Each group's turn by its connection, for its units of work to take it early (`take_turn_now`).
_turns: weakref.WeakKeyDictionary[Connection, GroupTurn] = weakref.WeakKeyDictionary()


def take_turn_now(conn: Connection) -> None:
    """Take the turn of the group writing on `conn`, if it has one (PostgreSQL) and has not
    taken it yet: before a posting reads its clock, say, so that no other process's group
    commits a later move of its items between that reading and its writes (the posting would
    then be backdated, its items' later moves re-valued)."""
    turn = _turns.get(conn)
    if turn is not None:
        turn.take()


_seen: dict[str, bool] = {}


def locks(statement: str) -> bool:
    """Whether a statement may lock a row (or write one): anything but a plain read and the
    transaction's own bookkeeping. Statements are few and fixed, so the answer is kept."""
    known = _seen.get(statement)
    if known is None:
        head = statement.lstrip()[:10].upper()
        known = not head.startswith(_FREE) or (
            head.startswith("SELECT") and any(word in statement for word in _LOCKING))
        if len(_seen) < 10_000:  # statements of fixed text; a bound all the same
            _seen[statement] = known
    return known
