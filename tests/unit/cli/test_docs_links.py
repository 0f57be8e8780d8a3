"""The link checker and block reader, on hand-made pages that must pass and must fail."""

from __future__ import annotations

from pathlib import Path

from cli.docs_links import anchors, blocks, broken_links, slug


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_good_links_pass(tmp_path: Path) -> None:
    _write(tmp_path / "docs" / "b.md", "# Title\n\n## Setup: step 1\n")
    page = _write(
        tmp_path / "docs" / "a.md",
        "# A\n\nSee [b](b.md), [setup](b.md#setup-step-1), [here](#a), "
        "[web](https://example.org/x) and [mail](mailto:x@example.org).\n",
    )
    assert broken_links([page], tmp_path) == []


def test_missing_files_anchors_and_escapes_fail(tmp_path: Path) -> None:
    _write(tmp_path / "docs" / "b.md", "# Title\n")
    page = _write(
        tmp_path / "docs" / "a.md",
        "# A\n[gone](gone.md)\n[anchor](b.md#nope)\n[up](../../etc/passwd)\n![img](pic.png)\n",
    )
    problems = broken_links([page], tmp_path)
    assert problems == [
        "docs/a.md:2: gone.md (a missing file)",
        "docs/a.md:3: b.md#nope (no heading #nope in b.md)",
        "docs/a.md:4: ../../etc/passwd (a link outside the repository)",
        "docs/a.md:5: pic.png (a missing file)",
    ]


def test_links_inside_code_are_not_links(tmp_path: Path) -> None:
    page = _write(tmp_path / "a.md", "# A\n\n```md\n[x](nowhere.md)\n```\n\n`[y](no.md)`\n")
    assert broken_links([page], tmp_path) == []


def test_repeated_headings_get_numbered_anchors(tmp_path: Path) -> None:
    page = _write(tmp_path / "a.md", "# Run\n## Run\n## The `make` command!\n")
    assert anchors(page) == {"run", "run-1", "the-make-command"}
    assert slug("Offers & negotiation") == "offers--negotiation"


def test_blocks_carry_language_and_the_runnable_option(tmp_path: Path) -> None:
    page = _write(
        tmp_path / "a.md", "# A\n\n```bash runnable\necho hi\n```\n\n```python\nx = 1\n```\n"
    )
    found = blocks(page)
    assert [(b.line, b.language, b.runnable, b.code) for b in found] == [
        (3, "bash", True, "echo hi\n"),
        (7, "python", False, "x = 1\n"),
    ]
