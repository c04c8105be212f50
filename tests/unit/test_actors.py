"""Who acts: the actor's reference is what postings store and the audit log filters on."""

import pytest

from onhand.domain.actors import SYSTEM, ActorKind, api_key_actor, cli_actor, parse_actor_reference
from onhand.domain.errors import InvalidInput


def test_an_actor_is_referred_to_by_its_kind_and_id_and_the_system_by_its_kind_alone():
    assert api_key_actor(12, "Shopify").reference == "api_key:12"
    assert cli_actor("alice").reference == "cli:alice"
    assert SYSTEM.reference == "system"


def test_a_cli_actor_keeps_only_printable_characters_and_is_never_nameless():
    assert cli_actor(" bob\x07 ").id == "bob"
    assert cli_actor("").id == "unknown"
    assert len(cli_actor("x" * 500).reference) <= 100  # fits postings.actor


@pytest.mark.parametrize(
    ("text", "expected"),
    [("api_key:3", (ActorKind.API_KEY, "3")), ("cli", (ActorKind.CLI, None)), ("system", (ActorKind.SYSTEM, None)),
     (" USER:7 ", (ActorKind.USER, "7"))],
)
def test_an_actor_filter_names_a_kind_and_optionally_one_actor(text, expected):
    assert parse_actor_reference(text) == expected


@pytest.mark.parametrize("text", ["robot:1", "system:1", "", "cli:" + "x" * 65])
def test_an_actor_filter_that_names_no_actor_is_refused_naming_the_field(text):
    with pytest.raises(InvalidInput) as error:
        parse_actor_reference(text)
    assert error.value.field == "actor"
