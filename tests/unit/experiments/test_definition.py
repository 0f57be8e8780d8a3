"""Definitions are schema-checked; a bad one names the field at fault."""

from __future__ import annotations

import pytest

from core.errors import Conflict, ValidationFailed
from experiments.catalogue import shipped
from experiments.definition import parse_definition
from tests.unit.experiments.conftest import T0, definition

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


def test_the_lifecycle_stamps_start_and_stop_and_refuses_illegal_moves():
    """Both stores call `moved`, so this is the one lifecycle every store enforces."""
    running = definition(status="draft").moved("start", T0)
    assert running.status == "running" and running.start == T0 and running.stop is None
    stopped = running.moved("stop", T0.replace(hour=10))
    assert stopped.status == "stopped" and stopped.start == T0 and stopped.stop.hour == 10
    assert stopped.moved("archive", T0).status == "archived"
    assert definition(status="draft").moved("archive", T0).status == "archived"
    for status, action in [("draft", "stop"), ("running", "start"), ("running", "archive")]:
        with pytest.raises(Conflict, match=f"is {status}; cannot {action}"):
            definition(status=status).moved(action, T0)
