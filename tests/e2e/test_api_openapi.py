"""The OpenAPI description is as strict as the server where a description can say it."""

from __future__ import annotations

import re
import typing
from typing import Any, cast

import pytest

from onhand.bootstrap import Onhand
from onhand.entrypoints.api.app import create_app


@pytest.fixture(scope="module")
def description() -> dict[str, Any]:
    return create_app(cast(Onhand, None)).openapi()


def _parameter(description: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    parameters = description["paths"][path][method]["parameters"]
    return next(p for p in parameters if p["name"] == name)


@pytest.mark.parametrize(
    ("path", "method", "name", "taken", "refused"),
    [
        ("/api/v1/items/{sku}", "patch", "sku", ["TEA/GREEN", "lots"], ["TEA/lots", "TEA/lots/L1", "by-gtin/1", ""]),
        ("/api/v1/orders/{reference}", "get", "reference", ["WEB/1001"], ["SO-1/cancel", "by-external-id/a/b"]),
        ("/api/v1/locations/{code}", "patch", "code", ["NY/A1"], ["NY/routing"]),
    ],
)
def test_a_path_parameter_that_may_hold_a_slash_says_which_paths_belong_to_other_routes(
    description: dict[str, Any], path: str, method: str, name: str, taken: list[str], refused: list[str]
) -> None:
    pattern = re.compile(_parameter(description, path, method, name)["schema"]["pattern"])
    assert [value for value in taken if pattern.search(value)] == taken
    assert [value for value in refused if pattern.search(value)] == []


def test_the_idempotency_key_is_a_string_of_1_to_200_characters(description: dict[str, Any]) -> None:
    schema = _parameter(description, "/api/v1/adjustments", "post", "Idempotency-Key")["schema"]
    assert (schema["type"], schema["minLength"], schema["maxLength"]) == ("string", 1, 200)


def test_closed_sets_of_values_are_enums(description: dict[str, Any]) -> None:
    schemas = description["components"]["schemas"]
    assert schemas["LocationIn"]["properties"]["kind"]["enum"] == ["warehouse", "store", "3pl", "bin", "transit"]
    assert schemas["ItemIn"]["properties"]["tracking"]["enum"] == ["none", "lot", "serial"]
    assert schemas["LotStatusIn"]["properties"]["status"]["enum"] == ["released", "quarantined", "recalled"]
    assert None in schemas["ItemCostingIn"]["properties"]["method"]["enum"]


def test_every_api_route_documents_a_body_too_large_and_throttling(description: dict[str, Any]) -> None:
    for path, operations in description["paths"].items():
        if path.startswith("/api/v1/"):
            for operation in operations.values():
                assert {"413", "429"} <= set(operation["responses"]), path


def _request_models() -> list[type]:
    import importlib
    import pkgutil

    import onhand.entrypoints.api.schemas as package
    from onhand.entrypoints.api.schemas.common import RequestModel

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    found, pending = [], [RequestModel]
    while pending:
        found.extend(subclasses := pending.pop().__subclasses__())
        pending.extend(subclasses)
    return found


# Strict types, or a validator of the field's own that parses the value (exact decimals).
STRICT_OR_OWN_PARSER = {"Strict", "PlainValidator", "WrapValidator", "BeforeValidator"}


def test_no_request_field_takes_a_boolean_or_text_for_a_number_or_a_number_for_a_boolean() -> None:
    # Pydantic's lax int takes false and "5", its lax bool takes 1: the description says
    # integer or boolean, so the server must refuse the others (PUT /transfer-routes took
    # lead_time_days: false as 0).
    lax = [
        f"{model.__name__}.{name}"
        for model in _request_models()
        for name, field in model.model_fields.items()
        if set(typing.get_args(field.annotation) or (field.annotation,)) & {int, bool}
        and not any(type(meta).__name__ in STRICT_OR_OWN_PARSER for meta in field.metadata)
    ]
    assert lax == []
