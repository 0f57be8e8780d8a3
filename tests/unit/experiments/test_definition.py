"""Definitions are schema-checked; a bad one names the field at fault."""

from __future__ import annotations

import pytest

from core.errors import ValidationFailed
from experiments.catalogue import shipped
from experiments.definition import parse_definition
from tests.unit.experiments.conftest import definition

GOOD = """
key: offer_order
version: 2
surface: offer_presentation
arms:
  - {name: cards, weight: 1}
  - {name: table, weight: 1}
primary_metric: {name: accepted, event: accepted}
"""


def test_a_valid_yaml_parses_with_defaults():
    d = parse_definition(GOOD)
    assert d.experiment_id == "offer_order/v2" and d.control_arm == "cards"
    assert d.unit == "user" and d.status == "draft" and d.seed == "offer_order/v2"
    assert parse_definition(d.to_yaml()) == d


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"arms": [{"name": "A", "weight": 1}]}, "arms"),
        ({"arms": [{"name": "A", "weight": 0}, {"name": "B", "weight": 1}]}, "arms.0.weight"),
        ({"unit": "thread"}, "unit"),
        ({"holdout": 1.5}, "holdout"),
        ({"key": "Bad Key"}, "key"),
        ({"colour": "red"}, "colour"),
        ({"control": "Z"}, "definition"),
        ({"arms": [{"name": "A", "weight": 1}, {"name": "A", "weight": 1}]}, "definition"),
    ],
)
def test_errors_name_the_field(change, field):
    with pytest.raises(ValidationFailed) as err:
        definition(**change)
    assert err.value.field == field


def test_not_yaml_or_not_a_mapping_is_refused():
    with pytest.raises(ValidationFailed, match="YAML"):
        parse_definition("key: [unclosed")
    with pytest.raises(ValidationFailed, match="mapping"):
        parse_definition("- a list")


def test_the_shipped_definitions_are_valid():
    keys = {d.key for d in shipped()}
    assert {"prompt_style", "chat_layout", "offer_presentation"} <= keys
