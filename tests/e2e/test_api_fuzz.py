"""The whole API under a property-based fuzzer (schemathesis): no request ends in a 5xx,
and every answer matches the OpenAPI description (status, content type, headers, body).

Each operation of `/openapi.json` is one test per database, run through the session's
real uvicorn server against a database seeded once per test process (the demo company
plus a supplier, a placed purchase order, an allocated sales order, a bundle and a bill
of materials) so that requests reach past "unknown SKU"; path parameters also carry
those records as examples. Requests are generated from the description, valid and not
(schemathesis' positive and negative modes), deterministically (`derandomize`) in the
`ci` profile and from a random seed, ten times as many, under `--hypothesis-profile=stress`.

Every check schemathesis has runs except one: `positive_data_acceptance` (a request the
description allows must succeed). The description cannot say what only the data can
(an unknown SKU is a 404, a date range longer than 92 days or an empty CSV a 422), so
the check would fail on correct answers.

The key-management routes run against a database of their own, each request with a
new admin key: the fuzzer may revoke any key there, the one it uses included, without
locking itself out of the rest of the API.

Set ONHAND_FUZZ_STATS=<file> to have every request's method, path and status appended
to that file (docs/testing.md: the figures of a run).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from onhand import services
from onhand.bootstrap import Onhand, open_onhand
from onhand.config import ApiLimits
from onhand.domain.access.commands import CreateApiKey
from onhand.domain.assemblies.commands import ComponentLine, CreateBuildOrder, SetBillOfMaterials, SetBundleComponents
from onhand.domain.catalog.commands import CreateItem
from onhand.domain.orders.commands import CreateOrder, OrderAction
from onhand.domain.purchasing.commands import CreatePurchaseOrder, CreateSupplier, PurchaseOrderAction
from onhand.entrypoints.api.app import create_app
from tests.databases import BACKENDS, fresh_database
from tests.e2e.conftest import AppSwitch
from tests.hypothesis_profiles import CI_EXAMPLES, examples

# Examples per operation and database in the ci profile (the budget: docs/testing.md).
CI_EXAMPLES_PER_OPERATION = 8
# Many requests carry no key or a wrong one (schemathesis checks that auth is enforced):
# the per-address throttle would answer them 429 from one address, 127.0.0.1.
LIMITS = ApiLimits(auth_failure_burst=10**9)
KEYS_PREFIX = "/api/v1/keys"

# Records the seed makes, offered as examples of the path parameters that name them.
PATH_EXAMPLES = {
    "sku": "MUG-12OZ", "code": "NY", "gtin": services.demo.gtin13(1), "channel": "shop", "external_id": "1001",
    "line_no": 1, "posting_id": 1, "key_id": 2, "day": "2026-03-02",
}
REFERENCE_EXAMPLES = {
    "/api/v1/orders/": "SO-000001", "/api/v1/transfers/": "TO-000001", "/api/v1/purchase-orders/": "PO-000001",
    "/api/v1/build-orders/": "BO-000001", "/api/v1/receipts/": "GR-000001",
}


def _description() -> dict[str, Any]:
    # Only the routes are read: no request ever reaches this app, so it needs no database.
    description = create_app(cast(Onhand, None)).openapi()
    for path, operations in description["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                example = PATH_EXAMPLES.get(parameter["name"])
                if parameter["name"] == "reference":
                    example = next((ref for prefix, ref in REFERENCE_EXAMPLES.items() if path.startswith(prefix)), None)
                if example is not None:
                    parameter["example"] = example
    return description


schema = schemathesis.openapi.from_dict(_description())


def _seed(onhand: Onhand) -> None:
    services.demo.load_demo_data(onhand)
    services.suppliers.create_supplier(onhand, CreateSupplier(code="ACME", name="Acme Supplies"))
    po = services.purchase_orders.create_purchase_order(
        onhand, CreatePurchaseOrder(supplier="ACME", destination="NY",
        lines=[services.purchase_orders.NewPurchaseLine("MUG-12OZ", "24", unit_cost="2.10")]),
    )
    services.purchase_orders.place_purchase_order(onhand, PurchaseOrderAction(po.reference))
    order = services.sales_orders.create_order(
        onhand, CreateOrder(
            channel="shop", external_id="1001", lines=[services.sales_orders.NewOrderLine("MUG-12OZ", "2", "9.95")],
        ),
    )
    services.sales_orders.allocate_order(onhand, OrderAction(order.reference))
    services.items.create_item(onhand, CreateItem(sku="GIFT-BOX", name="Gift box", kind="bundle"))
    services.bundles.set_components(
        onhand, SetBundleComponents("GIFT-BOX", components=[ComponentLine("MUG-12OZ", "1"),
                                        ComponentLine("TOTE-CANVAS", "1")]),
    )
    services.items.create_item(onhand, CreateItem(sku="MUG-SET", name="Mug set", kind="assembly"))
    services.boms.set_bill_of_materials(onhand, SetBillOfMaterials(
        "MUG-SET", components=[ComponentLine("MUG-12OZ", "2")]
    ))
    services.builds.create_build_order(onhand, CreateBuildOrder(sku="MUG-SET", location="NY", quantity="1"))


@dataclass(frozen=True)
class FuzzTarget:
    app: FastAPI
    onhand: Onhand
    secret: str


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_targets(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FuzzTarget, FuzzTarget]]:
    """The seeded database and, apart, the one the key-management routes run against."""
    with fresh_database(request.param) as url, fresh_database(request.param) as keys_url:
        main, keys = open_onhand(url), open_onhand(keys_url)
        try:
            _seed(main)
            yield (
                FuzzTarget(create_app(main, limits=LIMITS), main, _admin_secret(main)),
                FuzzTarget(create_app(keys, limits=LIMITS), keys, _admin_secret(keys)),
            )
        finally:
            main.close()
            keys.close()


def _admin_secret(onhand: Onhand) -> str:
    return services.keys.create_api_key(onhand, CreateApiKey(name="fuzzer", role="admin")).secret


def _without_key(case: Any) -> bool:
    """Whether schemathesis left the key out on purpose (a request that must be a 401)."""
    header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    return bool(header and header.mode.is_negative and "Authorization" not in (case.headers or {}))


def _record(case: Any, status: int) -> None:
    stats = os.environ.get("ONHAND_FUZZ_STATS")
    if stats:
        with Path(stats).open("a") as out:
            out.write(f"{case.method} {case.path} {status}\n")


STRESS = settings.default.max_examples > CI_EXAMPLES


@cache
def _session() -> requests.Session:
    """One keep-alive session for the process's requests (schemathesis opens a new one,
    and a new connection, for every request otherwise)."""
    return requests.Session()


@schema.parametrize()
@settings(
    max_examples=examples(CI_EXAMPLES_PER_OPERATION),
    deadline=None,
    derandomize=not STRESS,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_ends_in_a_server_error_and_every_answer_matches_the_description(
    case: Any, api_server: tuple[AppSwitch, str], fuzz_targets: tuple[FuzzTarget, FuzzTarget]
) -> None:
    switch, url = api_server
    main, keys = fuzz_targets
    if case.path.startswith(KEYS_PREFIX):
        target, secret = keys, _admin_secret(keys.onhand)
    else:
        target, secret = main, main.secret
    switch.app = target.app
    try:
        headers = {} if _without_key(case) else {"Authorization": f"Bearer {secret}"}
        response = case.call(base_url=url, headers=headers, session=_session())
        _record(case, response.status_code)
        case.validate_response(
            response, headers=headers, excluded_checks=[positive_data_acceptance],
            transport_kwargs={"base_url": url, "headers": headers},
        )
    finally:
        switch.app = None
        switch.wait_until_idle()
