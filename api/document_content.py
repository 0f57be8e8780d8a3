"""Decide what an uploaded file really is, with real decoders, and strip active content.

Checking magic bytes alone let a PNG header followed by HTML be stored as `image/png`. Here
an image must decode in full with Pillow and is then re-encoded, so only pixels survive
(no trailing payloads, no metadata chunks); a PDF must parse with pypdf and is refused when
it carries anything that runs on opening (JavaScript, OpenAction, Launch, embedded files,
XFA forms).
"""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from core.errors import ValidationFailed

MAX_PIXELS = 50_000_000  # a scanned A4 page at 600 dpi is ~35 Mpx; beyond that, a bomb
PNG_END = b"IEND\xaeB`\x82"
JPEG_END = b"\xff\xd9"
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
ACCEPTED = "only PDF, PNG and JPEG files are accepted"
# Names of PDF features that act on their own; searched in the parsed objects (pypdf decodes
# `#xx` escapes in names) and, as a second line, in the raw bytes.
ACTIVE_PDF_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
    }
)
_RAW_ACTIVE = re.compile(rb"/(?:JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia|XFA)\b")


def inspect_document(data: bytes) -> tuple[str, bytes]:
    """Return the file's content type and the bytes to store; raise `ValidationFailed` if bad.

    Images come back re-encoded; PDFs come back unchanged once parsed and found inert.
    """
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return "application/pdf", data
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        if not data.rstrip(b"\0").endswith((PNG_END, JPEG_END)):
            # Bytes after the image's end marker are how an image doubles as HTML or a script.
            raise ValidationFailed("the image has data after its end; re-save it", field="file")
        return _reencode_image(data)
    raise ValidationFailed(ACCEPTED, field="file")


def _reencode_image(data: bytes) -> tuple[str, bytes]:
    """Verify the image's structure, decode every pixel, and write a fresh file of it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise ValidationFailed(ACCEPTED, field="file")
                _check_size(probe)
                probe.verify()  # checksums and chunk structure; the object is spent after this
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()  # the full decode: a truncated or forged body fails here
                fmt = str(opened.format)
                image: Image.Image = opened
                if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "P", "CMYK"):
                    image = image.convert("RGB")
                if fmt == "JPEG" and image.mode not in ("L", "RGB", "CMYK"):
                    image = image.convert("RGB")
                out = io.BytesIO()
                image.save(out, format=fmt)  # no info/exif passed on: metadata is dropped
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Warning) as exc:
        raise ValidationFailed(
            "the image is damaged or not really a PNG or JPEG", field="file"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationFailed("the image is too large to process", field="file") from exc
    return IMAGE_FORMATS[fmt], out.getvalue()


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationFailed("the image is too large to process", field="file")


def _check_pdf(data: bytes) -> None:
    """Parse the whole PDF and refuse anything with active content."""
    if _RAW_ACTIVE.search(data):
        raise ValidationFailed(
            "PDFs with scripts, automatic actions or embedded files are not accepted", field="file"
        )
    try:
        # Lenient about xref damage (common in scanner output), strict about content.
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationFailed("encrypted PDFs are not accepted", field="file")
        if len(reader.pages) == 0:
            raise ValidationFailed("the PDF has no pages", field="file")
        objects: list[PdfObject] = [reader.trailer]
        objects.extend(page for page in reader.pages)
        if _has_active(objects):
            raise ValidationFailed(
                "PDFs with scripts, automatic actions or embedded files are not accepted",
                field="file",
            )
    except ValidationFailed:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ValidationFailed("the PDF is damaged or not really a PDF", field="file") from exc


def _has_active(roots: list[PdfObject], budget: int = 20_000) -> bool:
    """Walk the object graph from `roots` (bounded) looking for an active-content name."""
    seen: set[tuple[int, int]] = set()
    stack = list(roots)
    while stack and budget > 0:
        budget -= 1
        node = stack.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            resolved = node.get_object()
            if resolved is None:
                continue
            node = resolved
        if isinstance(node, DictionaryObject):
            if any(str(key) in ACTIVE_PDF_NAMES for key in node):
                return True
            if str(node.get("/S", "")) in ACTIVE_PDF_NAMES:
                return True
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False
