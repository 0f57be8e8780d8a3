"""`loan-advisor kb ...`: add, update, delete, reindex, search, show and evaluate the KB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.groups import kb_app
from core.config import Settings, get_settings
from core.errors import LoanAdvisorError

if TYPE_CHECKING:
    from retrieval.service import KnowledgeBase

console = Console()
FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="markdown file")]
Mode = Annotated[str, typer.Option(help="lexical | dense | hybrid")]


def _kb(settings: Settings | None = None, *, sync: bool | None = None) -> KnowledgeBase:
    from api.backends import build_knowledge_base

    return build_knowledge_base(settings or get_settings(), sync=sync)


def _fail(exc: LoanAdvisorError) -> typer.Exit:
    field = f" ({exc.field})" if exc.field else ""
    console.print(f"[red]error{field}[/red]: {exc.message}")
    return typer.Exit(code=2 if exc.status in (404, 409, 422) else 1)


def ensure_kb_index(settings: Settings) -> str:
    """Sync the corpus and policy-generated sheets into the store and index (only changes).

    Cheap when nothing changed (hash comparison, no model runs on documents), so
    `loan-advisor prepare` calls it on every start; returns a one-line summary.
    """
    from retrieval.updates import sync_corpus

    kb = _kb(settings, sync=False)
    changed = sync_corpus(kb)
    return f"knowledge base {kb.snapshot}: {len(changed)} document(s) added or updated"


@kb_app.command("add")
def add(path: FileArg) -> None:
    """Add a new policy document (markdown with front matter)."""
    from retrieval.updates import add_document

    try:
        result = add_document(_kb(), path.read_text(encoding="utf-8"), source=str(path))
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    console.print(f"added {result.doc_id} v{result.version} ({result.chunks} chunks)")


@kb_app.command("update")
def update(path: FileArg) -> None:
    """Store a new version of a document; the previous version stays citable."""
    from retrieval.updates import update_document

    try:
        result = update_document(_kb(), path.read_text(encoding="utf-8"), source=str(path))
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    console.print(f"{result.action} {result.doc_id} v{result.version} ({result.chunks} chunks)")


@kb_app.command("delete")
def delete(doc_id: str) -> None:
    """Withdraw a document from search (its versions stay readable for old citations)."""
    from retrieval.updates import delete_document

    try:
        result = delete_document(_kb(), doc_id)
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    console.print(f"withdrew {result.doc_id} (tombstone v{result.version})")


@kb_app.command("reindex")
def reindex_cmd(
    full: Annotated[bool, typer.Option(help="re-chunk every document")] = False,
    sync: Annotated[bool, typer.Option(help="first load corpus and policy changes")] = True,
    refresh_seed: Annotated[
        bool, typer.Option(help="rewrite the shipped corpus embeddings (maintainers)")
    ] = False,
) -> None:
    """Bring the index in line with the store; unchanged chunks reuse cached embeddings."""
    from retrieval.updates import reindex, sync_corpus

    try:
        kb = _kb()
        synced = sync_corpus(kb) if sync else []
        results = reindex(kb, full=full)
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    for r in synced:
        console.print(f"{r.action} {r.doc_id} v{r.version}")
    if refresh_seed:
        from retrieval.embeddings import SEED_PATH
        from retrieval.updates import chunks_of

        kb.cache.save(keep={c.embed_key for c in chunks_of(kb)}, path=SEED_PATH)
        console.print(f"wrote {SEED_PATH}")
    console.print(
        f"reindexed {len(results)} document(s); embedded {kb.cache.misses} new chunk(s); "
        f"snapshot {kb.snapshot}"
    )


@kb_app.command("search")
def search(
    query: str,
    product: Annotated[str | None, typer.Option(help="restrict to one product")] = None,
    k: Annotated[int, typer.Option(min=1, max=20)] = 5,
    mode: Mode = "hybrid",
    history: Annotated[list[str] | None, typer.Option(help="earlier user turns")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Search the knowledge base and print passages with their citations."""
    try:
        passages = _kb().search(query, history=history, product=product, k=k, mode=mode)  # type: ignore[arg-type]
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    if as_json:
        print(json.dumps([p.model_dump() for p in passages], indent=2))
        return
    for n, p in enumerate(passages, start=1):
        console.print(f"[bold]{n}. {p.title} — {p.section}[/bold]  ({p.doc_id} v{p.version})")
        console.print(f"   {p.url}  score={p.score:.4f}")
        console.print(f"   {p.text[:300]}")


@kb_app.command("show")
def show(doc_id: str, version: Annotated[int | None, typer.Option()] = None) -> None:
    """Print one stored document version as markdown."""
    try:
        doc = _kb().get_document(doc_id, version)
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    console.print(
        f"[bold]{doc.title}[/bold] ({doc.doc_id} v{doc.version}; versions {doc.versions})"
    )
    print(doc.body)


@kb_app.command("eval")
def evaluate_cmd(
    dataset: Annotated[Path | None, typer.Option(help="question set YAML")] = None,
    mode: Annotated[list[str] | None, typer.Option(help="modes to score")] = None,
    split: Annotated[str, typer.Option(help="dev | holdout | all")] = "dev",
) -> None:
    """Score retrieval on the labelled question set: recall@5, MRR@10, latency."""
    from retrieval.evaluation import DATASET_PATH, evaluate, load_questions

    try:
        kb = _kb(sync=True)
        questions = [
            q for q in load_questions(dataset or DATASET_PATH) if split in ("all", q.split)
        ]
    except LoanAdvisorError as exc:
        raise _fail(exc) from exc
    table = Table("mode", "questions", "recall@5", "hit@5", "MRR@10", "p50 ms", "misses")
    for m in mode or ["lexical", "dense", "hybrid"]:
        r = evaluate(kb, questions, m)  # type: ignore[arg-type]
        table.add_row(
            m,
            str(r.questions),
            f"{r.recall_at_5:.3f}",
            f"{r.hit_at_5:.3f}",
            f"{r.mrr_at_10:.3f}",
            f"{r.p50_ms:.1f}",
            ", ".join(r.misses[:8]),
        )
    console.print(table)
