"""Check the links and runnable blocks of the markdown documentation.

A page that links to a moved file or a renamed heading, or shows a command that no longer
runs, tells a reader something false; the test suite runs these checks over `docs/` and
the README. External links are checked for form only: this project's CI has no internet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

_FENCE = re.compile(r"^(?P<fence>```|~~~)(?P<info>[^\n`]*)$")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target><[^>]+>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_INLINE_CODE = re.compile(r"`[^`]*`")
RUNNABLE = "runnable"


@dataclass(frozen=True)
class Block:
    """A fenced code block: where it is, its language and options, and its text."""

    path: Path
    line: int
    language: str
    options: frozenset[str]
    code: str

    @property
    def runnable(self) -> bool:
        """Whether the docs promise that this block runs as written."""
        return RUNNABLE in self.options

    @property
    def where(self) -> str:
        """Return `file:line` for messages and test ids."""
        return f"{self.path.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """Return the fenced code blocks of a markdown file, in order."""
    out: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    opened: tuple[int, str, list[str]] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        fence = _FENCE.match(line.strip())
        if opened is None and fence is not None:
            opened, body = (number, fence["fence"], fence["info"].split()), []
        elif opened is not None and line.strip() == opened[1]:
            start, _, info = opened
            language = info[0] if info else ""
            out.append(Block(path, start, language, frozenset(info[1:]), "\n".join(body) + "\n"))
            opened = None
        elif opened is not None:
            body.append(line)
    return out


def _prose(path: Path) -> Iterator[tuple[int, str]]:
    """Yield the lines of a markdown file outside fenced code blocks."""
    fenced: str | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = _FENCE.match(line.strip())
        if fence is not None and fenced is None:
            fenced = fence["fence"]
            continue
        if fenced is not None:
            if line.strip() == fenced:
                fenced = None
            continue
        yield number, line


def slug(title: str) -> str:
    """Return GitHub's anchor for a heading (lower case, punctuation dropped, spaces to -)."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", title).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Return the anchors a markdown file's headings define (with GitHub's -1, -2 for repeats)."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    for _, line in _prose(path):
        heading = _HEADING.match(line)
        if heading is None:
            continue
        base = slug(heading["title"])
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.add(base if count == 0 else f"{base}-{count}")
    return out


def _check_target(page: Path, target: str, root: Path) -> str | None:
    """Return why one link target does not resolve, or None when it does."""
    target = target.strip("<>")
    url = urlparse(target)
    if url.scheme in ("http", "https"):
        return None if url.netloc else "an external link without a host"
    if url.scheme == "mailto":
        return None
    if url.scheme:
        return f"an unsupported link scheme {url.scheme!r}"
    file_part, _, fragment = target.partition("#")
    dest = (page if not file_part else page.parent / unquote(file_part)).resolve()
    if not dest.is_relative_to(root.resolve()):
        return "a link outside the repository"
    if not dest.exists():
        return "a missing file"
    if fragment and dest.suffix == ".md" and fragment not in anchors(dest):
        return f"no heading #{fragment} in {dest.name}"
    return None


def broken_links(pages: Iterable[Path], root: Path) -> list[str]:
    """Return one line per link or image that does not resolve: `file:line: target (why)`."""
    problems: list[str] = []
    for page in pages:
        for number, raw in _prose(page):
            line = _INLINE_CODE.sub("", raw)
            targets = [m["target"] for m in _LINK.finditer(line)]
            targets += [m["target"] for m in _IMAGE.finditer(line)]
            for target in targets:
                why = _check_target(page, target, root)
                if why is not None:
                    rel = page.resolve().relative_to(root.resolve())
                    problems.append(f"{rel}:{number}: {target} ({why})")
    return problems


def doc_pages(root: Path) -> list[Path]:
    """Return the markdown pages a reader is sent to: the README and everything under docs/."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
