import json

import pytest
import yaml

from evals.session import ChoiceError, RunRequest, plan_jobs, resumed, sample
from evals.suites import digest

SUITE = {"suite": "smoke", "version": 1, "cases": [{"id": "a", "goal": "script", "opening": "hi"}]}


def setup_run(tmp_path, sha: str | None = None):
    datasets = tmp_path / "datasets"
    (datasets / "smoke").mkdir(parents=True)
    (datasets / "smoke" / "v1.yaml").write_text(yaml.safe_dump(SUITE))
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    sha = sha or digest(datasets / "smoke" / "v1.yaml")
    meta = {
        "run_id": "r1", "provider": "offline:advisor-v1", "prompt_variant": "B", "repeats": 2,
        "suites": {"smoke": {"version": 1, "sha256": sha}},
    }  # fmt: skip
    (run / "meta.json").write_text(json.dumps(meta))
    return RunRequest(suites=["happy_path"], out_root=tmp_path / "runs", datasets=datasets)


def test_a_resumed_run_keeps_its_own_suites_and_choices(tmp_path):
    request = setup_run(tmp_path)
    again = resumed(RunRequest(**{**request.__dict__, "resume": "r1"}))
    assert list(again.suites) == ["smoke"]
    assert (again.variant, again.repeats, again.provider) == ("B", 2, "offline:advisor-v1")


def test_an_unknown_run_names_the_runs(tmp_path):
    request = setup_run(tmp_path)
    with pytest.raises(ChoiceError, match="no run 'nope' in .*; runs: r1"):
        resumed(RunRequest(**{**request.__dict__, "resume": "nope"}))


def test_a_suite_changed_since_the_run_started_is_not_mixed_in(tmp_path):
    request = setup_run(tmp_path, sha="000000000000")
    with pytest.raises(ChoiceError, match="suite 'smoke' changed since run r1 started"):
        resumed(RunRequest(**{**request.__dict__, "resume": "r1"}))


def test_a_sample_spreads_over_the_suite_and_keeps_its_order():
    cases = list(range(10))
    assert sample(cases, 3) == [0, 3, 6]
    assert sample(cases, 1) == [0]
    assert sample(cases, None) == cases
    assert sample(cases, 25) == cases


def test_a_limited_run_plans_that_many_cases_per_suite_and_a_resume_keeps_the_limit(tmp_path):
    request = setup_run(tmp_path)
    cases = [{"id": f"c{i}", "goal": "script", "opening": "hi"} for i in range(5)]
    smoke = {**SUITE, "cases": cases}
    (tmp_path / "datasets" / "smoke" / "v1.yaml").write_text(yaml.safe_dump(smoke))
    limited = RunRequest(**{**request.__dict__, "suites": ["smoke"], "limit_per_suite": 2})
    assert [j.key for j in plan_jobs(limited)] == ["smoke/c0#0", "smoke/c2#0"]
    meta_path = tmp_path / "runs" / "r1" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["suites"]["smoke"]["sha256"] = digest(tmp_path / "datasets" / "smoke" / "v1.yaml")
    meta_path.write_text(json.dumps({**meta, "limit_per_suite": 2}))
    again = resumed(RunRequest(**{**request.__dict__, "resume": "r1"}))
    assert again.limit_per_suite == 2
    assert len(plan_jobs(again)) == 2 * again.repeats
