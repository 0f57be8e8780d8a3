from pathlib import Path

import pytest
import yaml

from evals.suites import SuiteError, available, load, load_file, suite_path

GOOD_CASE = {"id": "ok-1", "goal": "script", "opening": "hi"}


def write(tmp_path: Path, data: object, name: str = "v1.yaml") -> Path:
    folder = tmp_path / "demo"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_every_shipped_suite_is_valid_and_big_enough():
    suites = available()
    assert {"happy_path", "understanding", "negotiation", "policy_qa"} <= set(suites)
    total = sum(len(load(name).cases) for name in suites)
    assert total >= 200


def test_a_bad_field_names_file_case_and_field(tmp_path):
    bad = {**GOOD_CASE, "id": "bad-1", "expect": {"outcome": ["maybe"]}}
    path = write(tmp_path, {"suite": "demo", "version": 1, "cases": [GOOD_CASE, bad]})
    with pytest.raises(SuiteError) as err:
        load_file(path)
    message = str(err.value)
    assert str(path) in message and "case bad-1" in message and "expect.outcome.0" in message


def test_an_unknown_field_and_a_missing_profile_are_rejected(tmp_path):
    typo = {**GOOD_CASE, "expect": {"must_includ": ["x"]}}
    path = write(tmp_path, {"suite": "demo", "version": 1, "cases": [typo]})
    with pytest.raises(SuiteError, match="field 'expect.must_includ'"):
        load_file(path)
    no_profile = {"id": "p-1", "goal": "decision", "opening": "hi"}
    path = write(tmp_path, {"suite": "demo", "version": 1, "cases": [no_profile]})
    with pytest.raises(SuiteError, match="case p-1.*needs a profile"):
        load_file(path)


def test_an_unknown_event_trigger_and_duplicate_ids_are_rejected(tmp_path):
    event = {**GOOD_CASE, "events": [{"when": "lunch", "say": "hi"}]}
    path = write(tmp_path, {"suite": "demo", "version": 1, "cases": [event]})
    with pytest.raises(SuiteError, match="events.0.*unknown trigger 'lunch'"):
        load_file(path)
    path = write(tmp_path, {"suite": "demo", "version": 1, "cases": [GOOD_CASE, GOOD_CASE]})
    with pytest.raises(SuiteError, match="duplicate case id 'ok-1'"):
        load_file(path)


def test_the_version_must_match_the_file_name(tmp_path):
    path = write(tmp_path, {"suite": "demo", "version": 2, "cases": [GOOD_CASE]})
    with pytest.raises(SuiteError, match="'version' is 2 but the file is v1.yaml"):
        load_file(path)


def test_unknown_suite_and_version_name_the_choices(tmp_path):
    write(tmp_path, {"suite": "demo", "version": 1, "cases": [GOOD_CASE]})
    assert suite_path("demo", root=tmp_path).name == "v1.yaml"
    with pytest.raises(SuiteError, match="unknown suite 'nope'; choose from: demo"):
        suite_path("nope", root=tmp_path)
    with pytest.raises(SuiteError, match=r"no v3; versions: \[1\]"):
        suite_path("demo", 3, root=tmp_path)


def test_not_yaml_is_rejected(tmp_path):
    path = tmp_path / "v1.yaml"
    path.write_text("cases: [unclosed")
    with pytest.raises(SuiteError, match="not valid YAML"):
        load_file(path)
