import json

import pytest

from api.routes.evals import EvalStart
from core.errors import NotFound, ValidationFailed
from evals.jobs import EvalJobs
from evals.report import write_reports
from tests.unit.evals.test_gate import write_run


@pytest.fixture
def jobs(tmp_path):
    return EvalJobs(tmp_path / "evals")


def test_runs_are_listed_newest_first_with_their_rates(jobs):
    old = write_run(jobs.out_root / "20261201-000000-offline-any", {"s/a": True, "s/b": False})
    write_reports(old)
    new = write_run(jobs.out_root / "20261202-000000-offline-B", {"s/a": True, "s/b": True})
    (new / "meta.json").write_text(json.dumps({"run_id": new.name, "complete": False}))
    (jobs.out_root / "runtime").mkdir()  # the eval API's var dir is not a run
    listed = jobs.runs()
    assert [r.run_id for r in listed] == [new.name, old.name]
    assert listed[1].complete and (listed[1].passed, listed[1].total) == (1, 2)
    assert listed[1].suites["s"].rate == 0.5
    assert not listed[0].complete and listed[0].total == 0  # no report written yet


def test_a_partial_run_is_reported_from_what_it_has(jobs):
    run = write_run(jobs.out_root / "r1", {"s/a": True, "s/b": False})
    (run / "meta.json").write_text(json.dumps({"run_id": "r1", "complete": False}))
    report = jobs.report("r1")
    assert report["partial"] and report["summary"]["overall"]["total"] == 2
    html = jobs.report_html("r1")
    assert "Partial run" in html and "--resume r1" in html


def test_two_runs_compare_by_id_and_unknown_ones_are_not_found(jobs):
    write_run(jobs.out_root / "a", {"s/x": True, "s/y": True})
    write_run(jobs.out_root / "b", {"s/x": True, "s/y": False})
    result = jobs.compare("a", "b")
    assert result["broke"] == ["s/y"] and (result["baseline"], result["candidate"]) == ("a", "b")
    for bad in ("nope", "..", "../a"):
        with pytest.raises(NotFound):
            jobs.report(bad)


def test_choices_name_the_suites_and_unknown_ones_are_refused_naming_them(jobs):
    choices = jobs.choices()
    assert {"fairness", "happy_path"} <= {s.name for s in choices.suites}
    assert choices.default_provider == "offline:advisor-v1"
    with pytest.raises(ValidationFailed, match="unknown suite 'nope'; choose from: .*fairness"):
        jobs.start(EvalStart(suites=["nope"]))
    with pytest.raises(ValidationFailed, match="unknown prompt variant 'Z'; choose from"):
        jobs.start(EvalStart(suites=["fairness"], prompt_variant="Z"))
    with pytest.raises(NotFound):
        jobs.job("0123456789ab")
    assert jobs.jobs() == []
