"""Arguments and options shared by the `onhand orders` commands."""

from __future__ import annotations

from typing import Annotated

import typer

Reference = Annotated[str, typer.Argument(help="The order's reference, e.g. SO-000001.")]
IdempotencyKey = Annotated[
    str | None, typer.Option(help="Makes a retried command safe: the same key never acts twice.")
]
LineOption = Annotated[
    list[str] | None,
    typer.Option("--line", metavar="SKU:QTY[:PRICE[:LOT]]",
                 help="One order line; repeat for several. LOT: a lot the customer asked for."),
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="Ship every line from this location, whatever routing says.")
]
ShipToName = Annotated[str | None, typer.Option(help="Ship-to: recipient name.")]
ShipToLine1 = Annotated[str | None, typer.Option("--ship-to-line1", help="Ship-to: address line 1.")]
ShipToLine2 = Annotated[str | None, typer.Option("--ship-to-line2", help="Ship-to: address line 2.")]
ShipToCity = Annotated[str | None, typer.Option(help="Ship-to: city.")]
ShipToRegion = Annotated[str | None, typer.Option(help="Ship-to: state or region, e.g. NJ.")]
ShipToPostcode = Annotated[str | None, typer.Option(help="Ship-to: postal code.")]
ShipToCountry = Annotated[str | None, typer.Option(help="Ship-to: ISO 3166 alpha-2 country, e.g. US.")]
ShipToLat = Annotated[float | None, typer.Option("--ship-to-lat", help="Ship-to: latitude in degrees.")]
ShipToLon = Annotated[float | None, typer.Option("--ship-to-lon", help="Ship-to: longitude in degrees.")]
ShipDate = Annotated[str | None, typer.Option(help="Requested ship date, YYYY-MM-DD (default: today).")]
Customer = Annotated[str | None, typer.Option(help="A customer's code, or a name (a new name makes a customer).")]
