import yaml

from evals.generator import expand, generate
from evals.suites import DATASETS, load_file
from tests.unit.evals.evals_factories import PROFILE


def test_a_template_expands_into_one_case_per_variant():
    template = {
        "id": "t", "persona": "p", "profile": {"amount": 15000},
        "openings": ["loan of {amount} over {term}", "{amount} please"],
        "style_sets": [["terse"], ["words"], ["slang"]],
        "says": ["a", "b", "c", "d"],
        "events": [{"when": "confirm", "say": "{say}"}],
    }  # fmt: skip
    cases = list(expand(template, {"p": PROFILE}))
    assert [c.id for c in cases] == ["t-01", "t-02", "t-03", "t-04"]
    assert cases[0].opening == "loan of 15000 over 48 months"
    assert cases[1].opening == "fifteen thousand dollars please"
    assert cases[2].opening == "loan of 15k over 4 years"  # odd thousands: "k"
    assert [c.events[0].say for c in cases] == ["a", "b", "c", "d"]


def test_generated_files_are_in_sync_with_their_templates(tmp_path):
    for templates in sorted(DATASETS.glob("*/templates.yaml")):
        folder = tmp_path / templates.parent.name
        folder.mkdir()
        (folder / "templates.yaml").write_text(templates.read_text())
        (tmp_path / "personas.yaml").write_text((DATASETS / "personas.yaml").read_text())
        out, count = generate(folder)
        shipped = templates.parent / out.name
        assert yaml.safe_load(out.read_text()) == yaml.safe_load(shipped.read_text()), (
            f"{shipped} is stale: run `loan-advisor eval generate`"
        )
        assert len(load_file(out).cases) == count
