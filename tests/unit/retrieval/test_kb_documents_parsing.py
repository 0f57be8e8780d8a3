from pathlib import Path

import pytest

from core.errors import ValidationFailed
from retrieval.documents import MAX_DOCUMENT_CHARS, parse_markdown, render_markdown
from retrieval.updates import CORPUS_DIR, corpus_documents
from tests.unit.retrieval.conftest import LATE, doc_md


def test_front_matter_becomes_metadata():
    doc = parse_markdown(LATE)
    assert (doc.doc_id, doc.version, doc.effective_date) == ("late-fees", 1, "2026-11-01")
    assert doc.products == ("car", "home")
    assert doc.body.startswith("# Late fees")


def test_render_round_trips_through_the_parser():
    parsed = parse_markdown(LATE)
    again = parse_markdown(render_markdown(parsed.to_record(3)))
    assert again.content_hash == parsed.content_hash and again.version == 3


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("no front matter here", "front_matter"),
        ("---\nid: x-y\n---\nbody", "title"),
        ("---\n: [unclosed\n---\nbody", None),
        (doc_md("Bad_ID", "body"), "id"),
        (doc_md("ok-id", "body", products="[boat]"), "products"),
        (doc_md("ok-id", "body").replace("2026-11-01", "1st Nov"), "effective_date"),
        (doc_md("ok-id", "body").replace("version: 1", "version: zero"), "version"),
        (doc_md("ok-id", "   "), "body"),
    ],
)
def test_malformed_documents_fail_with_the_field_named(text, field):
    with pytest.raises(ValidationFailed) as err:
        parse_markdown(text, source="upload.md")
    assert err.value.field == field
    assert "upload.md" in err.value.message


def test_huge_documents_are_refused():
    with pytest.raises(ValidationFailed, match="larger than"):
        parse_markdown(doc_md("big", "x" * MAX_DOCUMENT_CHARS))


def test_the_corpus_has_at_least_thirty_valid_documents_with_unique_ids():
    docs = corpus_documents()
    assert len(docs) >= 30
    assert len({d.doc_id for d in docs}) == len(docs)
    hand_written = list(Path(CORPUS_DIR).glob("*.md"))
    assert len(hand_written) >= 25
    assert {"product-car", "product-home", "product-gold", "eligibility-overview"} <= {
        d.doc_id for d in docs
    }
