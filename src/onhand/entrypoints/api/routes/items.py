"""Items: create, change, look up by SKU or GTIN, search.

SKUs may contain "/": the routes take the rest of the path as the SKU, so
`GET /items/TEA/GREEN` is item "TEA/GREEN" (encoding it as %2F works too). A SKU that
ends in "/lots" or starts with "by-gtin/" is reachable through `GET /items?search=`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from onhand import services
from onhand.domain.catalog.commands import ArchiveItem
from onhand.entrypoints.api import paths  # noqa: F401  (registers the path convertors used below)
from onhand.entrypoints.api.auth import CatalogEditor, IdempotencyKey, OnhandDep, Reader
from onhand.entrypoints.api.bodies import one_read
from onhand.entrypoints.api.routing import ApiRouter
from onhand.entrypoints.api.schemas.catalog import ItemIn, ItemList, ItemOut, ItemPatch
from onhand.entrypoints.api.schemas.common import ERROR_RESPONSES, IncludeArchived, QueryInt, UpdatedSince

router = ApiRouter(tags=["items"], responses=ERROR_RESPONSES)


@router.get("/items", summary="List items, optionally searching SKU and name")
def list_items(
    onhand: OnhandDep,
    _key: Reader,
    search: Annotated[str | None, Query(max_length=200)] = None,
    limit: QueryInt = 100,
    offset: QueryInt = 0,
    updated_since: UpdatedSince = None,
    include_archived: IncludeArchived = False,
) -> ItemList:
    found = services.items.list_items(onhand, search=search, limit=limit, offset=offset, updated_since=updated_since,
                                      include_archived=include_archived)
    return ItemList(items=[ItemOut.of(i) for i in found])


@router.post("/items", status_code=201)
def create_item(
    body: ItemIn, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> ItemOut:
    item = services.items.create_item(
        onhand, body.to_command(), idempotency_key=idempotency_key,
    )
    return ItemOut.of(item)


# Declared before /items/{sku:path} so that it is not taken for a SKU.
@router.get("/items/by-gtin/{gtin}", summary="Find the item with a GTIN (EAN/UPC, any length)")
@one_read()
def find_by_gtin(gtin: str, onhand: OnhandDep, _key: Reader) -> ItemOut:
    return ItemOut.of(services.items.find_by_gtin(onhand, gtin))


# Declared before /items/{sku:path} routes, so ".../archive" is not taken for a SKU.
@router.post("/items/{sku:path}/archive",
             summary="Archive an item without stock on hand: hidden from lists, refused in new documents")
def archive_item(sku: str, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None) -> ItemOut:
    return ItemOut.of(services.archiving.archive_item(onhand, ArchiveItem(sku), idempotency_key=idempotency_key))


@router.post("/items/{sku:path}/unarchive", summary="Bring an archived item back into use")
def unarchive_item(
    sku: str, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> ItemOut:
    return ItemOut.of(services.archiving.unarchive_item(onhand, ArchiveItem(sku), idempotency_key=idempotency_key))


@router.get("/items/{sku:item_sku}")
@one_read()
def get_item(sku: str, onhand: OnhandDep, _key: Reader) -> ItemOut:
    return ItemOut.of(services.items.get_item(onhand, sku))


@router.patch("/items/{sku:item_sku}", summary="Change name, GTIN, shelf life or minimum remaining shelf life")
def update_item(
    sku: str, body: ItemPatch, onhand: OnhandDep, _key: CatalogEditor, idempotency_key: IdempotencyKey = None
) -> ItemOut:
    item = services.items.update_item(
        onhand, body.to_command(sku), idempotency_key=idempotency_key,
    )
    return ItemOut.of(item)
