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


def test_a_section_headed_by_a_product_is_tagged_with_that_product_alone():
    body = "## Everyone\nIdentity.\n## Car loans\nA dealer quote.\n## Home loan\nThe title deeds.\n"
    body += "## Releasing the lien or mortgage\nFor car and home loans alike.\n"
    chunks = chunk_document(parse_markdown(doc_md("docs", body)).to_record(1))
    assert {c.section: c.products for c in chunks} == {
        "Everyone": ("car", "home"),
        "Car loans": ("car",),
        "Home loan": ("home",),
        # It names a mortgage but is about both: only a product's own name as heading counts.
        "Releasing the lien or mortgage": ("car", "home"),
    }


def test_a_product_heading_outside_the_documents_products_changes_nothing():
    body = "## Gold loans\nNot offered here.\n"
    one = chunk_document(parse_markdown(doc_md("docs", body, products="[car]")).to_record(1))
    two = chunk_document(parse_markdown(doc_md("docs", body)).to_record(1))
    assert one[0].products == ("car",)
    assert two[0].products == ("car", "home")
