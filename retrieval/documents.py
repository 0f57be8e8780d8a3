"""Parse policy markdown with YAML front matter into a validated document record.

Front matter carries what every chunk and citation needs: id, title, product tags,
effective date and version. Bad files fail here with a message naming the field, before
anything touches the store or the index.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

import yaml

from core.errors import ValidationFailed
from storage.kb_documents import KbDocument

PRODUCTS = ("car", "home", "gold", "education", "personal", "medical")
MAX_DOCUMENT_CHARS = 200_000
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
_FRONT_RE = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class ParsedDocument:
    """A markdown document whose front matter passed validation."""

    doc_id: str
    title: str
    products: tuple[str, ...]
    effective_date: str
    version: int
    body: str
    extra: dict[str, str]

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index, to skip unchanged documents."""
        key = "\n".join([self.title, ",".join(self.products), self.effective_date, self.body])
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def to_record(self, version: int) -> KbDocument:
        """Return the store record for this document at `version`."""
        return KbDocument(
            doc_id=self.doc_id,
            version=version,
            title=self.title,
            products=self.products,
            effective_date=self.effective_date,
            body=self.body,
            content_hash=self.content_hash,
            extra=self.extra,
        )


def parse_markdown(text: str, *, source: str = "<text>") -> ParsedDocument:
    """Split and validate front matter; raise `ValidationFailed` naming the broken field."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise ValidationFailed(
            f"{source}: document is larger than {MAX_DOCUMENT_CHARS} characters", field="body"
        )
    match = _FRONT_RE.match(text.lstrip("\ufeff"))
    if not match:
        raise ValidationFailed(
            f"{source}: missing front matter (a '---' block at the top)", field="front_matter"
        )
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"{source}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise ValidationFailed(f"{source}: front matter must be a mapping", field="front_matter")
    for key in ("id", "title", "products", "effective_date", "version"):
        if key not in meta or meta[key] in (None, "", []):
            raise ValidationFailed(f"{source}: front matter lacks '{key}'", field=key)
    doc_id = str(meta["id"])
    if not _ID_RE.match(doc_id):
        raise ValidationFailed(
            f"{source}: id {doc_id!r} must be lowercase letters, digits and dashes", field="id"
        )
    products = meta["products"]
    if isinstance(products, str):
        products = [products]
    unknown = [p for p in products if p not in PRODUCTS]
    if not isinstance(products, list) or unknown:
        raise ValidationFailed(
            f"{source}: unknown products {unknown}; use {', '.join(PRODUCTS)}", field="products"
        )
    try:
        effective = dt.date.fromisoformat(str(meta["effective_date"])).isoformat()
    except ValueError as exc:
        raise ValidationFailed(
            f"{source}: effective_date must be YYYY-MM-DD", field="effective_date"
        ) from exc
    version = meta["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationFailed(f"{source}: version must be a positive integer", field="version")
    body = match.group(2).strip()
    if not body:
        raise ValidationFailed(f"{source}: document body is empty", field="body")
    known = {"id", "title", "products", "effective_date", "version"}
    extra = {str(k): str(v) for k, v in meta.items() if k not in known}
    return ParsedDocument(
        doc_id=doc_id,
        title=str(meta["title"]).strip(),
        products=tuple(sorted(set(products), key=PRODUCTS.index)),
        effective_date=effective,
        version=version,
        body=body,
        extra=extra,
    )


def render_markdown(doc: KbDocument) -> str:
    """Return a stored document as markdown with front matter (for `kb` export and display)."""
    meta = {
        "id": doc.doc_id,
        "title": doc.title,
        "products": list(doc.products),
        "effective_date": doc.effective_date,
        "version": doc.version,
        **doc.extra,
    }
    front = yaml.safe_dump(meta, sort_keys=False).strip()
    return f"---\n{front}\n---\n{doc.body}\n"
