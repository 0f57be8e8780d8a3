"""Uploads are judged by real decoders: polyglots, active PDFs and damaged files are refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from api.document_content import inspect_document
from core.errors import ValidationFailed
from tests.fakes.documents import MINIMAL_PDF, image_bytes, obfuscated_names, pdf_bytes

HTML = b"<html><body><script>fetch('/v1/auth/me')</script></body></html>"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + HTML,  # the finding: a PNG header followed by HTML
        b"\xff\xd8\xff\xe0" + HTML,
        image_bytes("PNG") + HTML,  # a whole image with a page appended: a polyglot
        image_bytes("JPEG") + HTML,
        image_bytes("PNG")[:-40],  # truncated
        b"%PDF-1.7\n" + HTML,
        pdf_bytes(javascript="app.launchURL('https://evil.example')"),
        pdf_bytes(launch="cmd.exe"),
        obfuscated_names(pdf_bytes(javascript="app.alert(1)")),
        obfuscated_names(pdf_bytes(launch="cmd.exe")),
        b"GIF89a" + b"\0" * 20,
        b"",
    ],
    ids=[
        "png-header-html",
        "jpeg-header-html",
        "png-then-html",
        "jpeg-then-html",
        "truncated-png",
        "pdf-header-html",
        "pdf-javascript",
        "pdf-launch",
        "pdf-javascript-hex-escaped",
        "pdf-launch-hex-escaped",
        "gif",
        "empty",
    ],
)
def test_hostile_or_broken_files_are_refused(data):
    with pytest.raises(ValidationFailed) as err:
        inspect_document(data)
    assert err.value.field == "file"


def test_images_are_re_encoded_without_metadata():
    image = Image.new("RGB", (16, 16), (200, 10, 10))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=_text_chunk("Comment", "<script>alert(1)</script>"))
    content_type, clean = inspect_document(out.getvalue())
    assert content_type == "image/png" and b"script" not in clean
    assert Image.open(io.BytesIO(clean)).tobytes() == image.tobytes()


@pytest.mark.parametrize("data", [pdf_bytes(), MINIMAL_PDF], ids=["pypdf-written", "minimal"])
def test_plain_pdfs_are_kept_as_sent(data):
    assert inspect_document(data) == ("application/pdf", data)


def test_jpeg_is_accepted_as_jpeg():
    assert inspect_document(image_bytes("JPEG"))[0] == "image/jpeg"


def _text_chunk(key, value):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    return info
