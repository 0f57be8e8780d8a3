"""The repository's own documentation: links resolve and the generated references are current."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.docs import ROOT, app, settings_sections
from cli.docs_links import broken_links, doc_pages


def test_every_link_in_the_docs_resolves() -> None:
    assert broken_links(doc_pages(ROOT), ROOT) == []


def test_the_committed_references_match_the_code() -> None:
    result = CliRunner().invoke(app, ["build", "--check"])
    assert result.exit_code == 0, result.output


def test_settings_sections_follow_the_comments_in_core_config() -> None:
    sections = settings_sections()
    assert sections["mode"] == "Process"
    assert sections["provider"] == "Agent"
    assert "Security" in sections.values()
