// A knowledge-base policy document, the page a chat citation links to: the cited version (or the
// latest), its effective date, and its text, scrolled to the cited section.
import { useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api, readProblem, type Schemas } from "../api/client";
import { Alert } from "../design/components";
import { Markdown } from "../kb/markdown";
import { usePageTitle } from "./usePageTitle";

type KbDocumentPublic = Schemas["KbDocumentPublic"];

export default function KbDocument() {
  const { docId = "" } = useParams();
  const [search] = useSearchParams();
  const version = Number(search.get("version")) || undefined;
  const section = search.get("section");
  const [doc, setDoc] = useState<KbDocumentPublic | null>(null);
  const [error, setError] = useState<string | null>(null);
  usePageTitle(doc?.title ?? "Policy document");

  useEffect(() => {
    let live = true;
    setDoc(null);
    setError(null);
    void api
      .GET("/v1/kb/documents/{doc_id}", { params: { path: { doc_id: docId }, query: version ? { version } : {} } })
      .then(({ data, error: e }) => {
        if (!live) return;
        if (e || !data) setError(readProblem(e).message);
        else setDoc(data);
      });
    return () => {
      live = false;
    };
  }, [docId, version]);

  useEffect(() => {
    if (doc && section) document.getElementById(section)?.scrollIntoView?.();
  }, [doc, section]);

  if (error) {
    return (
      <div className="stack">
        <h1>Policy document</h1>
        <Alert tone="bad" live>{error}</Alert>
        <Link to="/chat">Back to the advisor</Link>
      </div>
    );
  }
  if (!doc) return <p role="status">Loading the document…</p>;
  return (
    <article className="stack" aria-labelledby="kb-title">
      <h1 id="kb-title">{doc.title}</h1>
      <p className="muted">
        Version {doc.version}, effective {doc.effective_date}
      </p>
      {doc.deleted && <Alert tone="warn">This document has been withdrawn; it is shown because a reply cited it.</Alert>}
      {!doc.deleted && doc.version < doc.latest_version && (
        <Alert tone="info">
          This is the version the advisor cited. <Link to={`/kb/${encodeURIComponent(doc.doc_id)}`}>Read the current version ({doc.latest_version})</Link>.
        </Alert>
      )}
      <Markdown text={doc.body} />
    </article>
  );
}
