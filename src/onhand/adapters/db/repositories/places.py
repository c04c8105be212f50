"""Locations and lots."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from onhand.adapters.db.hot import Hot
from onhand.adapters.db.repositories.catalog import CompanyRepository
from onhand.adapters.db.repositories.publishing import Publish, ignore
from onhand.adapters.db.tables import locations, lots
from onhand.domain.catalog.events import LocationChanged
from onhand.domain.catalog.locations import Address, Location, LocationKind
from onhand.domain.catalog.lots import Lot, LotStatus


def _path(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("/") if part)


def _location(row: Any) -> Location:
    return Location(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=LocationKind(row.kind),
        parent_id=row.parent_id,
        path=_path(row.path),
        sellable=row.sellable,
        allow_negative=row.allow_negative,
        address=Address(
            line1=row.address_line1,
            line2=row.address_line2,
            city=row.city,
            region=row.region,
            postcode=row.postcode,
            country=row.country,
        ),
        priority=row.priority,
        latitude=row.latitude,
        longitude=row.longitude,
        zones=tuple(z for z in (row.zones or "").split(",") if z),
        walk_order=row.walk_order,
        archived_at=row.archived_at,
    )


def _routing_values(location: Location) -> dict[str, object]:
    return {
        "priority": location.priority,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "zones": ",".join(location.zones) or None,
        "walk_order": location.walk_order,
    }


def _address_values(address: Address) -> dict[str, str | None]:
    return {
        "address_line1": address.line1,
        "address_line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postcode": address.postcode,
        "country": address.country,
    }


_LOT = Hot(select(lots).where(lots.c.item_id == bindparam("item_id"), lots.c.code == bindparam("code")))
_ADD_LOT = Hot(insert(lots).returning(lots.c.id))
_ALL_LOCATIONS = select(locations).order_by(locations.c.code)
_LOTS_BY_IDS = Hot(select(lots).where(lots.c.id.in_(bindparam("keys", expanding=True))))
_LOTS_BY_CODES = select(lots).where(lots.c.item_id.in_(bindparam("item_ids", expanding=True)),
                                    lots.c.code.in_(bindparam("codes", expanding=True)))


class LocationCache:
    """Every location, shared by the units of work of one process.

    Valid for one value of the company's settings version, which every change to a
    location raises in its own transaction: a process sees another's change as soon
    as that change is committed. Only units of work that changed no location fill it.
    """

    def __init__(self) -> None:
        self._entry: tuple[int, tuple[Location, ...]] | None = None

    def get(self, version: int) -> tuple[Location, ...] | None:
        entry = self._entry
        return entry[1] if entry is not None and entry[0] == version else None

    def put(self, version: int, places: tuple[Location, ...]) -> None:
        self._entry = (version, places)


class GroupLocationCache(LocationCache):
    """The location cache as the requests of one group commit see it (adapters/db/group_commit.py).

    Reads fall through to the process's cache; what a request loads is kept here until the
    group has committed (`publish`). A request may read the settings version another request
    of its group raised and not yet committed: if the group's commit fails, what it loaded
    must not be left in the shared cache under a version that may later mean something else.
    """

    def __init__(self, shared: LocationCache) -> None:
        super().__init__()
        self._shared = shared

    def get(self, version: int) -> tuple[Location, ...] | None:
        mine = super().get(version)
        return mine if mine is not None else self._shared.get(version)

    def publish(self) -> None:
        """After the group's commit: what its requests loaded is the committed truth."""
        if self._entry is not None:
            self._shared.put(*self._entry)


class LocationRepository:
    def __init__(
        self, conn: Connection, cache: LocationCache, settings: CompanyRepository, publish: Publish = ignore
    ) -> None:
        self._conn = conn
        self._publish = publish
        self._cache = cache
        self._settings = settings
        self._changed = False  # this unit of work changed a location: bypass the cache
        self._all: tuple[Location, ...] | None = None

    def _changing(self) -> None:
        if not self._changed:
            self._settings.bump_settings_version()
            self._changed = True
        self._all = None

    def add(self, location: Location, created_at: datetime) -> Location:
        result = self._conn.execute(
            insert(locations).values(
                code=location.code,
                name=location.name,
                kind=location.kind.value,
                parent_id=location.parent_id,
                path="",
                sellable=location.sellable,
                allow_negative=location.allow_negative,
                created_at=created_at,
                **_address_values(location.address),
                **_routing_values(location),
            )
        )
        self._changing()
        new_id = int(result.inserted_primary_key[0])
        path = (*location.path, new_id)
        self._conn.execute(
            update(locations)
            .where(locations.c.id == new_id)
            .values(path="/" + "/".join(map(str, path)) + "/")
        )
        self._publish(LocationChanged(new_id, location.code, created=True))
        return Location(**{**location.__dict__, "id": new_id, "path": path})

    def update(self, location: Location) -> None:
        self._changing()
        self._conn.execute(
            update(locations)
            .where(locations.c.id == location.id)
            .values(
                name=location.name,
                sellable=location.sellable,
                allow_negative=location.allow_negative,
                **_address_values(location.address),
                **_routing_values(location),
            )
        )
        self._publish(LocationChanged(location.id, location.code, created=False))

    def set_archived(self, location: Location, at: datetime | None) -> None:
        """Archive the location at `at`, or bring it back (None)."""
        self._changing()
        self._conn.execute(update(locations).where(locations.c.id == location.id).values(archived_at=at))
        self._publish(LocationChanged(location.id, location.code, created=False))

    def get_by_code(self, code: str) -> Location | None:
        return next((place for place in self.all() if place.code == code), None)

    def virtual(self, kind: LocationKind) -> Location:
        """The virtual location of `kind` (the first made, should there be more)."""
        return min((place for place in self.all() if place.kind is kind), key=lambda place: place.id)

    def by_id(self) -> dict[int, Location]:
        """Every location by id (a new dict: callers may keep it)."""
        return {place.id: place for place in self.all()}

    def all(self) -> tuple[Location, ...]:
        """Every location, by code."""
        if self._all is None:
            if self._changed:
                self._all = self._load()
            else:
                version = self._settings.settings_version()
                cached = self._cache.get(version)
                if cached is None:
                    cached = self._load()
                    self._cache.put(version, cached)
                self._all = cached
        return self._all

    def _load(self) -> tuple[Location, ...]:
        return tuple(_location(r) for r in self._conn.execute(_ALL_LOCATIONS))


def _lot(row: Any) -> Lot:
    return Lot(
        id=row.id,
        item_id=row.item_id,
        code=row.code,
        expiry_date=row.expiry_date,
        production_date=row.production_date,
        status=LotStatus(row.status),
    )


class LotRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        item_id: int,
        code: str,
        *,
        expiry_date: date | None,
        production_date: date | None,
        created_at: datetime,
    ) -> Lot:
        new = _ADD_LOT.one(
            self._conn,
            {
                "item_id": item_id,
                "code": code,
                "expiry_date": expiry_date,
                "production_date": production_date,
                "status": LotStatus.RELEASED.value,
                "created_at": created_at,
            },
        )
        return Lot(
            id=int(new.id),
            item_id=item_id,
            code=code,
            expiry_date=expiry_date,
            production_date=production_date,
        )

    def get(self, item_id: int, code: str) -> Lot | None:
        row = _LOT.first(self._conn, {"item_id": item_id, "code": code})
        return _lot(row) if row else None

    def by_ids(self, ids: list[int]) -> dict[int, Lot]:
        if not ids:
            return {}
        return {r.id: _lot(r) for r in _LOTS_BY_IDS.rows(self._conn, {"keys": ids})}

    def by_codes(self, keys: Collection[tuple[int, str]]) -> dict[tuple[int, str], Lot]:
        if not keys:
            return {}
        params = {"item_ids": sorted({item_id for item_id, _code in keys}),
                  "codes": sorted({code for _item_id, code in keys})}
        found = (_lot(r) for r in self._conn.execute(_LOTS_BY_CODES, params))
        return {(lot.item_id, lot.code): lot for lot in found if (lot.item_id, lot.code) in keys}

    def for_item(self, item_id: int) -> list[Lot]:
        query = select(lots).where(lots.c.item_id == item_id).order_by(lots.c.expiry_date, lots.c.code)
        return [_lot(r) for r in self._conn.execute(query)]

    def set_status(self, lot_id: int, status: LotStatus) -> None:
        self._conn.execute(update(lots).where(lots.c.id == lot_id).values(status=status.value))
