"""Every error Onhand raises on purpose.

    OnhandError
    ├── InvalidInput              a field is malformed or out of range      (HTTP 422)
    │   └── MissingExtra          what the field asks for needs an optional package (an SDK)
    ├── NotFound                  a referenced SKU, location, lot … is absent (HTTP 404)
    ├── Conflict                  the request collides with current state   (HTTP 409)
    │   ├── AlreadyExists         a unique code is taken
    │   ├── IdempotencyConflict   a key was reused for a different request
    │   ├── TransientConflict     a concurrent transaction won; safe to retry
    │   ├── InsufficientStock     one or more lines would go below zero
    │   ├── OutOfRange            a stored total would leave the range Onhand holds exactly
    │   ├── OverReceipt           a receipt beyond the ordered quantity plus tolerance
    │   ├── Archived              an archived item or location named in a new document
    │   ├── StockOnHand           archiving an item or location that still holds stock
    │   ├── SerialsNotConfirmed   serial-tracked units would ship with no serial confirmed
    │   ├── LastAdminKey          revoking or demoting the last active admin key
    │   └── ConfirmationRequired  an action that needs an explicit flag (revoking one's own key)
    ├── PushFailed                an accounting system or a channel refused or was unreachable (HTTP 502)
    │   └── ChannelThrottled      a channel asked to wait (`retry_after` seconds) before the next call
    └── Unauthorized / Forbidden  API key missing or lacking the role      (HTTP 401/403)
        └── TooManySignIns        sign-ins for one email from one client refused for a while (HTTP 429)

Each error carries the data a user needs (field, reason, sku, location, …) so every
entrypoint can render it; entrypoints map classes to status codes in one table each.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# An error echoes what it was given (an unknown SKU, a bad field name) at most this long:
# a megabyte SKU must not come back as a two-megabyte 404.
ECHO_LIMIT = 100
REASON_LIMIT = 500


def clipped(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text`, cut to `limit` characters with the length it had when it was longer."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


class OnhandError(Exception):
    """Base of every deliberate Onhand error."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message}


class InvalidInput(OnhandError):
    code = "invalid_input"

    def __init__(self, field: str, reason: str) -> None:
        field, reason = clipped(field, 2 * ECHO_LIMIT), clipped(reason, REASON_LIMIT)
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field, "reason": self.reason}


class MissingExtra(InvalidInput):
    """What a field asks for (a Xero export, a push to QuickBooks) needs an optional package
    that is not installed; the reason names the `pip install` that brings it."""

    def __init__(self, field: str, what: str, extra: str) -> None:
        super().__init__(field, f"{what} needs the optional package: pip install 'onhand[{extra}]'")
        self.extra = extra


class NotFound(OnhandError):
    code = "not_found"

    def __init__(self, what: str, key: str, field: str | None = None) -> None:
        key = clipped(key)
        super().__init__(f"{field or what}: unknown {what} {key!r}")
        self.what = what
        self.key = key
        self.field = field or what

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field, "what": self.what, "key": self.key}


class Conflict(OnhandError):
    code = "conflict"


class AlreadyExists(Conflict):
    code = "already_exists"

    def __init__(self, what: str, key: str, field: str | None = None) -> None:
        key = clipped(key)
        super().__init__(f"{field or what}: {what} {key!r} already exists")
        self.what = what
        self.key = key
        self.field = field or what

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field, "what": self.what, "key": self.key}


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"

    def __init__(self, key: str) -> None:
        key = clipped(key)
        super().__init__(
            f"idempotency_key: {key!r} was already used for a different request"
        )
        self.key = key
        self.field = "idempotency_key"

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field}


class TransientConflict(Conflict):
    """A concurrent transaction got in the way (lock timeout, deadlock, same unique key).

    Services retry these a few times before letting one reach the user.
    """

    code = "concurrent_update"

    def __init__(self, detail: str) -> None:
        super().__init__(f"a concurrent change got in the way, please retry ({detail})")


@dataclass(frozen=True)
class Shortage:
    """One line that cannot be taken: `requested` of `sku` at `location`, `available` there."""

    sku: str
    location: str
    lot: str | None
    requested: Decimal
    available: Decimal
    # What `available` counts: everything "on hand", or only what is not reserved ("available").
    basis: str = "on hand"

    def describe(self) -> str:
        lot = f" lot {self.lot}" if self.lot else ""
        return (
            f"{self.sku}{lot} at {self.location}: requested {self.requested}, "
            f"only {self.available} {self.basis}"
        )


class InsufficientStock(Conflict):
    """Raised with every short line at once, so a user sees all of them together."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[Shortage]) -> None:
        super().__init__("insufficient stock: " + "; ".join(s.describe() for s in shortages))
        self.shortages = shortages

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(),
            "shortages": [
                {
                    "sku": s.sku,
                    "location": s.location,
                    "lot": s.lot,
                    "requested": str(s.requested),
                    "available": str(s.available),
                }
                for s in self.shortages
            ],
        }


class SerialsNotConfirmed(Conflict):
    """A shipment would send serial-tracked units whose serials nobody confirmed (scanned
    at pick, or named on the shipment) while the company does not auto-assign serials."""

    code = "serials_not_confirmed"

    def __init__(self, field: str, line_no: int, sku: str, shipping: Decimal, confirmed: Decimal) -> None:
        super().__init__(
            f"{field}: line {line_no} ({sku}) would ship {shipping} serial-tracked unit(s), "
            f"{confirmed} with a confirmed serial; scan the serials at pick or name them in "
            f"the shipment's serials"
        )
        self.field, self.line_no, self.sku = field, line_no, sku
        self.shipping, self.confirmed = shipping, confirmed

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field, "line_no": self.line_no, "sku": self.sku,
                "shipping": str(self.shipping), "confirmed": str(self.confirmed)}


class PushFailed(OnhandError):
    """Sending a journal to an accounting system (Xero, QuickBooks) did not succeed.

    `uncertain`: the request may have reached the system (it went out, no answer came);
    the push stays pending until the next push asks the system what it holds. The reason
    never carries a token or secret.
    """

    code = "push_failed"

    def __init__(self, target: str, reason: str, *, uncertain: bool = False) -> None:
        super().__init__(f"{target}: {reason}")
        self.target = target
        self.reason = reason
        self.uncertain = uncertain

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "target": self.target, "uncertain": self.uncertain}


class ChannelThrottled(PushFailed):
    """A sales channel's rate limit is spent (Shopify's cost-based throttle): call again
    after `retry_after` seconds."""

    code = "channel_throttled"

    def __init__(self, target: str, retry_after: float) -> None:
        super().__init__(target, f"throttled; retry after {retry_after:.1f} s", uncertain=False)
        self.retry_after = retry_after


class LastAdminKey(Conflict):
    """Revoking or demoting this key would leave no active admin key to manage the others."""

    code = "last_admin_key"

    def __init__(self, key_id: int) -> None:
        super().__init__(
            f"id: API key {key_id} is the last active admin key; create another admin key first"
        )
        self.key_id = key_id
        self.field = "id"

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field}


class Archived(Conflict):
    """An archived item or location named where only one in use may be (a new document)."""

    code = "archived"

    def __init__(self, what: str, key: str, field: str) -> None:
        key = clipped(key)
        super().__init__(f"{field}: {what} {key!r} is archived; unarchive it to use it in new documents")
        self.what = what
        self.key = key
        self.field = field

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field, "what": self.what, "key": self.key}


class _FieldConflict(Conflict):
    """A conflict that names the field refused and why (the shape of the two below)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "field": self.field, "reason": self.reason}


class StockOnHand(_FieldConflict):
    """Archiving an item or location that still holds stock (it would vanish from the lists)."""

    code = "stock_on_hand"


class ConfirmationRequired(_FieldConflict):
    """An action with consequences for the one asking, done only when `field` says so."""

    code = "confirmation_required"


class Unauthorized(OnhandError):
    code = "unauthorized"


class Forbidden(OnhandError):
    code = "forbidden"


class TooManySignIns(Unauthorized):
    """Too many failed sign-ins for this email from this client: none accepted until `retry_at`."""

    code = "too_many_sign_ins"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after_seconds} seconds")
        self.retry_after_seconds = retry_after_seconds

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "retry_after": self.retry_after_seconds}


class OverReceipt(Conflict):
    """A purchase receipt would bring a line beyond its ordered quantity plus the tolerance."""

    code = "over_receipt"

    def __init__(
        self, field: str, *, reference: str, line_no: int, sku: str, ordered: Decimal, received: Decimal,
        receiving: Decimal, allowed: Decimal, tolerance_pct: Decimal,
    ) -> None:
        super().__init__(
            f"{field}: receiving {receiving} more of line {line_no} ({sku}) of {reference} would bring it to "
            f"{received + receiving}, over the {ordered} ordered plus {tolerance_pct}% tolerance "
            f"(at most {allowed - received} more)"
        )
        self.field = field
        self.sku = sku
        self.line_no = line_no
        self.ordered = ordered
        self.received = received
        self.receiving = receiving
        self.allowed = allowed

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(), "field": self.field, "sku": self.sku, "line_no": self.line_no,
            "ordered": str(self.ordered), "received": str(self.received), "receiving": str(self.receiving),
            "allowed": str(self.allowed),
        }


class OutOfRange(Conflict):
    """A total Onhand stores would leave the range it holds exactly (domain/quantities.py,
    domain/money.py): `what` (on hand, a pool's value …) of `sku` at `location` (when it
    is an item's) would come to `total`, beyond ±`limit`. Nothing is written."""

    code = "out_of_range"

    def __init__(
        self, *, what: str, total: Decimal, limit: Decimal, sku: str | None = None, location: str | None = None,
        lot: str | None = None, field: str | None = None,
    ) -> None:
        whose = f" of {sku}{f' lot {lot}' if lot else ''} at {location}" if sku else ""
        super().__init__(
            f"{field + ': ' if field else ''}{what}{whose} would come to {total:f}, beyond the ±{limit} Onhand can hold"
        )
        self.field = field
        self.sku = sku
        self.location = location
        self.lot = lot
        self.what = what
        self.total = total
        self.limit = limit

    def to_dict(self) -> dict[str, object]:
        return {
            **super().to_dict(), "field": self.field, "sku": self.sku, "location": self.location, "lot": self.lot,
            "what": self.what, "total": format(self.total, "f"), "limit": str(self.limit),
        }
