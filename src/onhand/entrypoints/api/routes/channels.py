"""Sales channels: add, list, show, map locations and SKUs; their exceptions, and resolving one.
The webhooks channels send are received outside /api/v1 (routes/channel_webhooks.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.channels.commands import AddChannel, MapLocation, MapSku, ResolveException, UnmapLocation
from onhand.entrypoints.api.auth import IdempotencyKey, OnhandDep, OrderDesk, Reader, SettingsAdmin
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.channels import (
    ChannelExceptionList,
    ChannelExceptionOut,
    ChannelIn,
    ChannelList,
    ChannelOut,
    LocationMapIn,
    SkuMapIn,
)
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, PathId, QueryInt

router = ApiRouter(tags=["channels"], responses=ERROR_RESPONSES)


@router.get("/channels", summary="Sales channels with their mappings (never their secrets)")
def list_channels(onhand: OnhandDep, _key: Reader) -> ChannelList:
    return ChannelList(channels=[ChannelOut.of(c) for c in services.channels.list_channels(onhand)])


@router.post("/channels", status_code=201, summary="Add a sales channel")
def add_channel(
    body: ChannelIn, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> ChannelOut:
    return ChannelOut.of(services.channels.add_channel(onhand, AddChannel(
        name=body.name, kind=body.kind, endpoint=body.endpoint, api_version=body.api_version,
        credentials=body.credentials,
    ), idempotency_key=idempotency_key))


@router.get("/channels/exceptions", summary="Channel exceptions, newest first (open ones unless all=true)")
def list_exceptions(
    onhand: OnhandDep,
    _key: Reader,
    channel: Annotated[str | None, Query(max_length=32)] = None,
    all: bool = False,
    limit: QueryInt = 100,
    offset: QueryInt = 0,
) -> ChannelExceptionList:
    found = services.channel_exceptions.list_exceptions(
        onhand, channel=channel, unresolved=not all, limit=limit, offset=offset)
    return ChannelExceptionList(exceptions=[ChannelExceptionOut.of(e) for e in found])


@router.get("/channels/{channel}", summary="A sales channel with its mappings")
def show_channel(channel: str, onhand: OnhandDep, _key: Reader) -> ChannelOut:
    return ChannelOut.of(services.channels.show_channel(onhand, channel))


@router.put("/channels/{channel}/locations", summary="Map an Onhand location to a channel location")
def map_location(
    channel: str, body: LocationMapIn, onhand: OnhandDep, _key: SettingsAdmin,
    idempotency_key: IdempotencyKey = None,
) -> ChannelOut:
    return ChannelOut.of(services.channels.map_location(onhand, MapLocation(
        channel=channel, location=body.location, external_location_id=body.external_location_id,
    ), idempotency_key=idempotency_key))


@router.delete("/channels/{channel}/locations/{location}", summary="Stop feeding a channel from a location")
def unmap_location(channel: str, location: str, onhand: OnhandDep, _key: SettingsAdmin) -> ChannelOut:
    return ChannelOut.of(services.channels.unmap_location(onhand, UnmapLocation(channel=channel, location=location)))


@router.put("/channels/{channel}/skus", summary="Map an item to the channel's SKU, variant and inventory item")
def map_sku(
    channel: str, body: SkuMapIn, onhand: OnhandDep, _key: SettingsAdmin, idempotency_key: IdempotencyKey = None
) -> ChannelOut:
    return ChannelOut.of(services.channels.map_sku(onhand, MapSku(
        channel=channel, sku=body.sku, external_sku=body.external_sku,
        external_variant_id=body.external_variant_id, external_item_id=body.external_item_id,
    ), idempotency_key=idempotency_key))


@router.post("/channels/{channel}/exceptions/{exception_id}/resolve", summary="Resolve a channel exception")
def resolve_exception(
    channel: str, exception_id: PathId, onhand: OnhandDep, _key: OrderDesk, idempotency_key: IdempotencyKey = None
) -> ChannelExceptionOut:
    return ChannelExceptionOut.of(services.channel_exceptions.resolve_exception(
        onhand, ResolveException(channel=channel, exception_id=exception_id), idempotency_key=idempotency_key))
