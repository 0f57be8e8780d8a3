from retrieval.chunking import MAX_CHUNK_CHARS, chunk_document, slugify
from retrieval.documents import parse_markdown
from tests.unit.retrieval.conftest import LATE, doc_md


def test_one_chunk_per_section_carrying_document_metadata():
    chunks = chunk_document(parse_markdown(LATE).to_record(2))
    assert [c.section for c in chunks] == ["Grace period", "Late fee"]
    assert all(c.doc_id == "late-fees" and c.version == 2 for c in chunks)
    assert all(c.products == ("car", "home") for c in chunks)
    assert chunks[0].chunk_id == "late-fees@2#grace-period"
    assert chunks[1].index_text.startswith("Late Fees — Late fee\n")


def test_long_sections_split_on_paragraphs_and_keep_their_heading():
    paras = "\n\n".join(f"Paragraph {i} " + "word " * 60 for i in range(12))
    chunks = chunk_document(parse_markdown(doc_md("long", f"## Big\n{paras}")).to_record(1))
    assert len(chunks) > 1
    assert all(len(c.text) <= MAX_CHUNK_CHARS for c in chunks)
    assert {c.section for c in chunks} == {"Big"}
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_text_before_the_first_heading_is_kept_as_overview():
    chunks = chunk_document(
        parse_markdown(doc_md("intro", "Hello there.\n## A\nText")).to_record(1)
    )
    assert [c.section for c in chunks] == ["Overview", "A"]


def test_slugify():
    assert slugify("Step 1: Tell us (about you)") == "step-1-tell-us-about-you"
