"""Commands of customers, users and recalls: frozen records, their canonical form (the
audit entry's fields), and fingerprints equal to those of the request dicts they replace."""

from __future__ import annotations

import dataclasses
import json

import pytest

from onhand.domain.access.commands import AddUser, DisableUser, ResetPassword
from onhand.domain.commands import canonical, fingerprint
from onhand.domain.errors import InvalidInput
from onhand.domain.orders.commands import CreateCustomer, UpdateCustomer
from onhand.domain.orders.customers import CustomerAddress
from onhand.domain.traceability.commands import LotRef, RecallLots, ReleaseRecall
from onhand.entrypoints.api.schemas.customers import CustomerIn, CustomerPatch
from onhand.entrypoints.api.schemas.recalls import RecallIn
from onhand.entrypoints.cli.traceability import lot_refs

HOME = CustomerAddress(label="home", line1="1 Main St", city="Springfield", country="US")


def old_fingerprint(action: str, request: dict) -> str:
    """How run_write fingerprinted a hand-built request dict before commands."""
    return fingerprint(action, json.loads(json.dumps(request, default=str)))


def test_commands_are_frozen_and_keep_their_lines_as_tuples():
    command = CreateCustomer("Ada", addresses=[HOME], channel_ids=[["shop", "7"]])  # type: ignore[arg-type]
    assert command.addresses == (HOME,) and command.channel_ids == (("shop", "7"),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.name = "Bob"  # type: ignore[misc]
    assert UpdateCustomer("C-000001").addresses is None
    assert AddUser("a@example.com", "Ana", "viewer", locations=["LA"]).locations == ("LA",)  # type: ignore[arg-type]
    assert RecallLots(lots=[LotRef("SERUM", "B1")]).lots == (LotRef("SERUM", "B1"),)  # type: ignore[arg-type]
    assert hash(ReleaseRecall("RC-1")) == hash(ReleaseRecall("RC-1"))


def test_a_customer_command_fingerprints_as_its_request_dict_did():
    command = CreateCustomer("Ada", code="ADA", email="ada@example.com", phone="555", addresses=(HOME,),
                             channel_ids=(("shop", "7"),))
    old = {"name": "Ada", "code": "ADA", "email": "ada@example.com", "phone": "555",
           "addresses": [HOME.__dict__], "channel_ids": [("shop", "7")]}
    assert canonical(command) == json.loads(json.dumps(old))
    assert fingerprint("create_customer", command) == old_fingerprint("create_customer", old)
    update = UpdateCustomer("ADA", email="")
    old_update = {"code": "ADA", "name": None, "email": "", "phone": None, "addresses": None, "channel_ids": []}
    assert fingerprint("update_customer", update) == old_fingerprint("update_customer", old_update)
    assert fingerprint("update_customer", update) != fingerprint("update_customer", UpdateCustomer("ADA"))


def test_a_recall_command_fingerprints_as_its_request_dict_did():
    command = RecallLots(lots=(LotRef("SERUM", "B1"),), status="quarantined", quarantine_location="QUAR",
                         note="defect")
    old = {"lots": [{"sku": "SERUM", "lot": "B1"}], "supplier_lot": None, "status": "quarantined",
           "quarantine_location": "QUAR", "reference": None, "note": "defect"}
    assert canonical(command) == old
    assert fingerprint("recall_lots", command) == old_fingerprint("recall_lots", old)
    assert fingerprint("release_recall", ReleaseRecall("RC-1")) == old_fingerprint("release_recall",
                                                                                  {"reference": "RC-1"})
    assert fingerprint("recall_lots", command) != fingerprint("recall_lots", dataclasses.replace(command, note="x"))


def test_a_user_command_holds_no_password():
    fields = {f.name for f in dataclasses.fields(AddUser)} | {f.name for f in dataclasses.fields(ResetPassword)}
    assert "password" not in fields
    assert canonical(AddUser("ana@example.com", "Ana", "viewer", ("LA",))) == {
        "email": "ana@example.com", "name": "Ana", "role": "viewer", "locations": ["LA"]}
    assert canonical(DisableUser("ana@example.com")) == {"email": "ana@example.com"}


def test_the_api_models_build_the_commands():
    body = CustomerIn.model_validate({"name": "Ada", "addresses": [{"label": "home", "city": "Springfield"}],
                                      "channel_ids": [{"channel": "shop", "external_id": "7"}]})
    assert body.to_command() == CreateCustomer(
        "Ada", addresses=(CustomerAddress(label="home", city="Springfield"),), channel_ids=(("shop", "7"),))
    assert CustomerPatch.model_validate({"email": ""}).to_command("ADA") == UpdateCustomer("ADA", email="")
    recall = RecallIn.model_validate({"lots": [{"sku": "SERUM", "lot": "B1"}], "supplier_lot": "S-9"})
    assert recall.to_command() == RecallLots(lots=(LotRef("SERUM", "B1"),), supplier_lot="S-9")


def test_the_cli_reads_lots_once_naming_the_field():
    assert lot_refs(["SERUM:B1", "A:B:C"]) == [LotRef("SERUM", "B1"), LotRef("A:B", "C")]
    with pytest.raises(InvalidInput) as refused:
        lot_refs(["SERUM:B1", "no-colon"])
    assert refused.value.field == "lot[1]"
