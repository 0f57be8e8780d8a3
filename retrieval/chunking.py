"""Split markdown into heading-aware chunks that carry the document's metadata.

Each `##` section becomes one chunk (long sections are split on paragraph boundaries), and
the chunk text is prefixed with "title — section" so both the lexical and the dense index
see what the passage is about even when the section body never names it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from storage.kb_documents import KbDocument

MAX_CHUNK_CHARS = 1200
# Raised whenever the same document would now be chunked differently: a persisted index
# stamped with another value was built by an older chunker and is rebuilt (index_embedded).
CHUNKING = 2  # 2: sections headed by a product's name are tagged with that product alone
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
# A section headed by one product's name ("## Car loans") is about that product alone.
_PRODUCT_HEADING_RE = re.compile(r"^(\w+) loans?$", re.IGNORECASE)


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage with the metadata citations need."""

    chunk_id: str
    doc_id: str
    version: int
    title: str
    section: str
    products: tuple[str, ...]
    text: str

    @property
    def slug(self) -> str:
        """URL fragment of the section."""
        return slugify(self.section)

    @property
    def embed_key(self) -> str:
        """Hash of the embedded text: identical text reuses the cached vector."""
        return hashlib.sha256(self.index_text.encode()).hexdigest()[:20]

    @property
    def index_text(self) -> str:
        """Text given to BM25 and the encoder: the context line, then the passage."""
        return f"{self.title} — {self.section}\n{self.text}"


def slugify(text: str) -> str:
    """Return a lowercase dash-separated anchor for a heading."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "top"


def _split_long(text: str) -> list[str]:
    if len(text) <= MAX_CHUNK_CHARS:
        return [text]
    parts: list[str] = []
    current = ""
    for para in re.split(r"\n\s*\n", text):
        if current and len(current) + len(para) + 2 > MAX_CHUNK_CHARS:
            parts.append(current)
            current = para
        else:
            current = f"{current}\n\n{para}" if current else para
    if current:
        parts.append(current)
    return parts


def section_products(section: str, products: tuple[str, ...]) -> tuple[str, ...]:
    """Return the products a section is about: the one its heading names, else the document's.

    "Documents required" covers every product, one section each; tagged with all six, its
    home-loan section answered "what documents do I need?" in a car-loan conversation. Only
    a heading that is the product's name counts: "Releasing the lien or mortgage" names
    home loans but is about car loans too.
    """
    match = _PRODUCT_HEADING_RE.match(section)
    if match and len(products) > 1 and (named := match.group(1).lower()) in products:
        return (named,)
    return products


def chunk_document(doc: KbDocument) -> list[Chunk]:
    """Return the chunks of `doc`, one per section (intro text before any `##` kept too)."""
    sections: list[tuple[str, list[str]]] = [("Overview", [])]
    for line in doc.body.splitlines():
        heading = _HEADING_RE.match(line)
        if heading and len(heading.group(1)) == 1:
            continue  # the H1 repeats the title, which every chunk already carries
        if heading:
            sections.append((heading.group(2).strip(), []))
        else:
            sections[-1][1].append(line)
    chunks: list[Chunk] = []
    for section, lines in sections:
        body = "\n".join(lines).strip()
        if not body:
            continue
        for n, part in enumerate(_split_long(body)):
            suffix = f"-{n + 1}" if n else ""
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}@{doc.version}#{slugify(section)}{suffix}",
                    doc_id=doc.doc_id,
                    version=doc.version,
                    title=doc.title,
                    section=section,
                    products=section_products(section, doc.products),
                    text=part,
                )
            )
    return chunks
