"""Channels as records: add one, list and show them, map Onhand locations and SKUs to the
channel's. A channel's secrets stay where `credentials` points; nothing here reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onhand.domain.audit import AuditObject
from onhand.domain.channels.channels import (
    FILE_PREFIX,
    api_version,
    channel_kind,
    channel_name,
    credentials_reference,
    endpoint,
    external_id,
)
from onhand.domain.channels.commands import AddChannel, MapLocation, MapSku, UnmapLocation
from onhand.domain.channels.records import ChannelRecord
from onhand.domain.channels.views import ChannelView, LocationMapping, SkuMapping
from onhand.domain.errors import AlreadyExists, InvalidInput, NotFound
from onhand.services import resolve
from onhand.services.audit import record_removal
from onhand.services.context import ServiceContext, run_write

if TYPE_CHECKING:
    from onhand.services.context import UnitOfWork


def channel_record(uow: UnitOfWork, name: str, field: str = "channel") -> ChannelRecord:
    found = uow.channels.by_name(name.strip().lower()) if isinstance(name, str) else None
    if found is None:
        raise NotFound("channel", str(name), field)
    return found


def channel_view(uow: UnitOfWork, record: ChannelRecord) -> ChannelView:
    codes = {loc.id: loc.code for loc in uow.locations.all()}
    return ChannelView(
        name=record.name, kind=record.kind, endpoint=record.endpoint, api_version=record.api_version,
        credentials_source="file" if record.credentials.startswith(FILE_PREFIX) else "env",
        last_sync_at=record.last_sync_at, last_error=record.last_error, last_error_at=record.last_error_at,
        created_at=record.created_at,
        locations=tuple(LocationMapping(codes[m.location_id], m.external_location_id)
                        for m in uow.channels.locations(record.id)),
        skus=tuple(SkuMapping(m.sku, m.external_sku, m.external_variant_id, m.external_item_id)
                   for m in uow.channels.skus(record.id)),
    )


def _load(uow: UnitOfWork, channel_id: int) -> ChannelView:
    record = uow.channels.get(channel_id)
    if record is None:  # pragma: no cover - the id was just written
        raise NotFound("channel", str(channel_id))
    return channel_view(uow, record)


def _subject(view: ChannelView) -> AuditObject:
    return AuditObject("channel", view.name)


def add_channel(ctx: ServiceContext, command: AddChannel, *, idempotency_key: str | None = None) -> ChannelView:
    """A new channel. Its secrets are not given here: `credentials` says where they are."""
    name = channel_name(command.name)
    kind = channel_kind(command.kind)
    url = endpoint(command.endpoint)
    version = api_version(command.api_version)
    where = credentials_reference(command.credentials)

    def work(uow: UnitOfWork) -> int:
        if uow.channels.by_name(name) is not None:
            raise AlreadyExists("channel", name, "name")
        now = ctx.now()
        return uow.channels.add({
            "name": name, "kind": kind.value, "endpoint": url, "api_version": version, "credentials": where,
            "availability_version": 0, "created_at": now, "updated_at": now,
        })

    return run_write(ctx, work, _load, action="add_channel", subject=_subject,
                     idempotency_key=idempotency_key, request=command)


def list_channels(ctx: ServiceContext) -> list[ChannelView]:
    with ctx.reading() as uow:
        return [channel_view(uow, record) for record in uow.channels.all()]


def show_channel(ctx: ServiceContext, name: str) -> ChannelView:
    with ctx.reading() as uow:
        return channel_view(uow, channel_record(uow, name, "name"))


def map_location(ctx: ServiceContext, command: MapLocation, *, idempotency_key: str | None = None) -> ChannelView:
    """Stock at `location` (an internal one; its bins included) counts toward the channel's location."""
    target = external_id(command.external_location_id, "external_location_id")

    def work(uow: UnitOfWork) -> int:
        record = channel_record(uow, command.channel)
        place = resolve.internal_location(uow, command.location, "location")
        if place.kind == "transit":
            raise InvalidInput("location", f"{place.code!r} is a transit location: nothing there can be sold")
        uow.channels.set_location(record.id, place.id, target)
        return record.id

    return run_write(ctx, work, _load, action="map_channel_location", subject=_subject,
                     idempotency_key=idempotency_key, request=command)


def unmap_location(ctx: ServiceContext, command: UnmapLocation) -> ChannelView:
    with ctx.writing() as uow:
        record = channel_record(uow, command.channel)
        place = resolve.internal_location(uow, command.location, "location")
        if not uow.channels.remove_location(record.id, place.id):
            raise NotFound("channel location", f"{record.name} {place.code}", "location")
        record_removal(uow, ctx.now(), "unmap_channel_location", AuditObject("channel", record.name),
                       LocationMapping(place.code, ""))
        return channel_view(uow, record)


def map_sku(ctx: ServiceContext, command: MapSku, *, idempotency_key: str | None = None) -> ChannelView:
    """Item `sku` is known in the channel by `external_sku` (default: its own SKU) and, when
    given, a variant id and an inventory-item id there; each names one item per channel."""
    given = {
        "external_sku": resolve.text(command.external_sku, "external_sku", max_length=100),
        "external_variant_id": (external_id(command.external_variant_id, "external_variant_id")
                                if command.external_variant_id is not None else None),
        "external_item_id": (external_id(command.external_item_id, "external_item_id")
                             if command.external_item_id is not None else None),
    }

    def work(uow: UnitOfWork) -> int:
        record = channel_record(uow, command.channel)
        item = resolve.item(uow, command.sku)
        values = {**given, "external_sku": given["external_sku"] or item.sku}
        for column, value in values.items():
            holder = uow.channels.sku_holder(record.id, column, value) if value is not None else None
            if holder is not None and holder != item.id:
                raise AlreadyExists(f"{column} mapping", value, column)
        uow.channels.set_sku(record.id, item.id, values)
        return record.id

    return run_write(ctx, work, _load, action="map_channel_sku", subject=_subject,
                     idempotency_key=idempotency_key, request=command)
