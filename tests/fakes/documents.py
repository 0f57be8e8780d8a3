"""Real, decodable document files for upload tests (and the hostile variants of them)."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

# The smallest one-page PDF a browser test can inline (no xref table: readers rebuild it).
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (32, 24)) -> bytes:
    """Return a small real image (a colour gradient) encoded as `fmt`."""
    image = Image.new("RGB", size)
    image.putdata(
        [(x * 8 % 256, y * 10 % 256, 128) for y in range(size[1]) for x in range(size[0])]
    )
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def pdf_bytes(*, javascript: str | None = None, launch: str | None = None) -> bytes:
    """Return a one-page PDF, optionally with document-level JavaScript or a Launch OpenAction."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    root = writer.root_object
    if javascript is not None:
        script = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
        tree = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("init"), writer._add_object(script)]
                )
            }
        )
        root[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    if launch is not None:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject(launch)}
        )
        root[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def obfuscated_names(pdf: bytes) -> bytes:
    """Hex-escape the active names (`/J#61vaScript`), as malware does to dodge byte scans."""
    for name, escaped in (
        (b"/JavaScript", b"/J#61vaScript"),
        (b"/JS", b"/J#53"),
        (b"/OpenAction", b"/Open#41ction"),
        (b"/Launch", b"/L#61unch"),
    ):
        pdf = pdf.replace(name, escaped)
    return pdf
