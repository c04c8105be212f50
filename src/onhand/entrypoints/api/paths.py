"""Path parameters that may contain "/" but leave room for the routes beside them.

SKUs, references and codes may contain "/", so their routes take the rest of the path
(`/items/TEA/GREEN` is item "TEA/GREEN"). A plain `{sku:path}` would also take
`/items/TEA/lots` or `/items/by-gtin/123` for a PATCH, which only the lot and GTIN
routes serve: the request would reach the wrong route (a 422 or 404 about an item
"TEA/lots") instead of being a 405 naming the methods that path has. Each convertor
here is a `path` that refuses the suffixes (and prefixes) its resource's other routes
use; `openapi.py` publishes the same rule as the parameter's `pattern`.

Starlette compiles a route's path when the route is declared, so the convertors are
registered when this module is imported: every routes module imports it first.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class ReservedPath(Convertor[str]):
    """Any text, "/" included, except what the routes beside it serve."""

    def __init__(self, *, suffixes: tuple[str, ...] = (), prefixes: tuple[str, ...] = ()) -> None:
        lookaheads = "".join(f"(?!{prefix})" for prefix in prefixes)
        if suffixes:
            lookaheads += f"(?!.*/(?:{'|'.join(suffixes)})$)"
        self.regex = f"{lookaheads}.+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


# Regex fragments of the suffixes; "[^/]+" stands for one path parameter.
CONVERTORS: dict[str, ReservedPath] = {
    "item_sku": ReservedPath(prefixes=("by-gtin/",), suffixes=("lots", "lots/.*", "archive", "unarchive")),
    "lot_code": ReservedPath(suffixes=("status",)),
    "bom_sku": ReservedPath(suffixes=("can-build",)),
    "bundle_sku": ReservedPath(suffixes=("availability", "components")),
    "location_code": ReservedPath(suffixes=("routing", "archive", "unarchive")),
    "order_reference": ReservedPath(
        prefixes=("by-external-id/",),
        suffixes=("allocate", "cancel", "lines/[^/]+/location", "packages", "pick-list", "picks", "returns",
                  "shipments"),
    ),
    "purchase_order_reference": ReservedPath(
        suffixes=("cancel", "close", "place", "receipts", "returns", "shipments")),
    "supplier_shipment_reference": ReservedPath(suffixes=("receive", "write-off")),
    "receipt_reference": ReservedPath(suffixes=("landed-costs",)),
    "transfer_reference": ReservedPath(suffixes=("cancel", "close", "receive", "ship", "write-off")),
}

for _name, _convertor in CONVERTORS.items():
    register_url_convertor(_name, _convertor)
