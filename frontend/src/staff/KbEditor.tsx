// Staff knowledge-base editor: list the current documents, search them as the advisor does, open
// one as Markdown with front matter, save a new version (PUT), add a document (POST) and withdraw
// one (DELETE, after a confirm step), and finish drafts started from knowledge gaps (KbDraftEditor). The API validates the text; its problem+json `errors` are
// shown next to the text area and announced with it.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, Route, Routes, useLocation, useNavigate, useParams } from "react-router-dom";
import {
  addKbDocument, readKbDocument, staffKbDocuments, staffKbSearch, updateKbDocument, withdrawKbDocument,
  type KbDocument, type KbDocumentSummary, type KbHit,
} from "../api/endpoints";
import { Alert, TextField } from "../design/components";
import { usePageTitle } from "../pages/usePageTitle";
import KbDraftEditor from "./KbDraftEditor";
import { listDrafts } from "./kbDrafts";
import { HINT, splitFailure, TextAreaField } from "./kbFields";
import { toMarkdown } from "./kbMarkdown";

export { toMarkdown };

export const NEW_DOCUMENT = toMarkdown({
  doc_id: "new-policy", title: "New policy", products: ["personal"], effective_date: new Date().toISOString().slice(0, 10),
  version: 1, body: "# New policy\n\nWrite the policy here.",
});

function Search() {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<KbHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    const r = await staffKbSearch(q.trim());
    setError(r.ok ? null : r.message);
    setHits(r.ok ? r.data : null);
  };
  return (
    <section className="stack" aria-labelledby="kb-search">
      <h3 id="kb-search">Search as the advisor does</h3>
      <form className="row" onSubmit={(e) => void search(e)} role="search" aria-labelledby="kb-search">
        <div style={{ flex: "1 1 14rem" }}><TextField label="Search the policy" value={q} onChange={(e) => setQ(e.target.value)} /></div>
        <button type="submit" className="btn" style={{ alignSelf: "end" }}>Search</button>
      </form>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {hits?.length === 0 && <p role="status">No passages match.</p>}
      {hits?.map((h) => (
        <article key={h.doc_id + h.section} className="card">
          <h4 style={{ margin: "0 0 0.4rem" }}><a href={h.url}>{h.title} — {h.section}</a></h4>
          <p className="muted">
            {h.doc_id} v{String(h.version)} · score {h.score.toFixed(3)} · <Link to={`doc/${encodeURIComponent(h.doc_id)}`}>Edit {h.title}</Link>
          </p>
          <p>{h.text}</p>
        </article>
      ))}
    </section>
  );
}

/** Drafts started from knowledge gaps, kept in this browser until published. */
function Drafts() {
  const drafts = listDrafts();
  if (drafts.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="kb-drafts">
      <h3 id="kb-drafts">Drafts in this browser (not published)</h3>
      <ul>
        {drafts.map((d) => (
          <li key={d.id}>
            <Link to={`draft/${encodeURIComponent(d.id)}`}>{d.title}</Link> — from the gap “{d.topic}”, saved{" "}
            <time dateTime={d.saved_at}>{new Date(d.saved_at).toLocaleString("en-US")}</time>
          </li>
        ))}
      </ul>
    </section>
  );
}

function DocumentList() {
  usePageTitle("Knowledge base");
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  const [docs, setDocs] = useState<KbDocumentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void staffKbDocuments().then((r) => (r.ok ? setDocs(r.data) : setError(r.message))), []);
  return (
    <section className="stack" aria-labelledby="kb">
      <h2 id="kb">Knowledge base</h2>
      {notice && <Alert tone="ok" live>{notice}</Alert>}
      <p className="muted">The policy documents the advisor cites. Every save is a new version; earlier versions stay citable.</p>
      <p><Link className="btn secondary" to="new">Add a document</Link></p>
      <Drafts />
      <Search />
      <h3>Documents</h3>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {!docs && !error && <p role="status">Loading documents…</p>}
      {docs?.length === 0 && <p>No documents yet.</p>}
      {docs && docs.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby="kb-docs" tabIndex={0}>
          <table className="data-table">
            <caption id="kb-docs" className="muted" style={{ textAlign: "left" }}>Documents ({docs.length})</caption>
            <thead>
              <tr><th scope="col">Title</th><th scope="col">Id</th><th scope="col">Version</th><th scope="col">Effective</th><th scope="col">Products</th></tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.doc_id}>
                  <th scope="row"><Link to={`doc/${encodeURIComponent(d.doc_id)}`}>{d.title}</Link></th>
                  <td><code>{d.doc_id}</code></td>
                  <td>{d.version}</td>
                  <td>{d.effective_date}</td>
                  <td>{d.products.join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Withdraw({ doc }: { doc: KbDocument }) {
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const was = useRef(false);
  // Opening the confirm step moves focus to its safe choice; leaving it returns focus to the opener.
  useEffect(() => {
    if (confirming) cancel.current?.focus();
    else if (was.current) opener.current?.focus();
    was.current = confirming;
  }, [confirming]);
  const withdraw = async () => {
    setBusy(true);
    const r = await withdrawKbDocument(doc.doc_id);
    setBusy(false);
    if (!r.ok) return setError(r.message);
    navigate("/staff/kb", { state: { notice: `Withdrew “${doc.title}” (${doc.doc_id}); the advisor no longer finds it. Earlier versions stay citable.` } });
  };
  return (
    <section className="stack" aria-labelledby="kb-wd">
      <h3 id="kb-wd">Withdraw</h3>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {!confirming ? (
        <p><button ref={opener} type="button" className="btn secondary" onClick={() => setConfirming(true)}>Withdraw document</button></p>
      ) : (
        <div className="card stack" role="group" aria-labelledby="kb-wd-q" onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
          <p id="kb-wd-q"><strong>Withdraw “{doc.title}”?</strong> The advisor will stop citing it; its versions stay readable from earlier citations.</p>
          <div className="row">
            <button type="button" className="btn danger" disabled={busy} onClick={() => void withdraw()}>Yes, withdraw</button>
            <button ref={cancel} type="button" className="btn secondary" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      )}
    </section>
  );
}

function DocumentEditor({ mode }: { mode: "edit" | "new" }) {
  const { docId = "" } = useParams();
  const navigate = useNavigate();
  const notice = (useLocation().state as { notice?: string } | null)?.notice ?? "";
  const [doc, setDoc] = useState<KbDocument | null>(null);
  const [text, setText] = useState(mode === "new" ? NEW_DOCUMENT : "");
  const [fieldErrors, setFieldErrors] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState(notice);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  usePageTitle(mode === "new" ? "Add a document" : `Edit ${doc?.title ?? docId}`);

  const load = async (): Promise<boolean> => {
    const r = await readKbDocument(docId);
    if (!r.ok) {
      setError(r.message);
      return false;
    }
    setDoc(r.data);
    setText(toMarkdown(r.data));
    return true;
  };
  useEffect(() => {
    if (mode === "edit") void load();
  }, [mode, docId]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setStatus("");
    setError(null);
    const r = mode === "new" ? await addKbDocument(text) : await updateKbDocument(docId, text);
    setBusy(false);
    if (!r.ok) {
      const { field, general } = splitFailure(r);
      setFieldErrors(field);
      setError(general);
      if (field.length) area.current?.focus();
      return;
    }
    setFieldErrors([]);
    const { doc_id, version, action } = r.data;
    if (mode === "new") {
      navigate(`/staff/kb/doc/${encodeURIComponent(doc_id)}`, { state: { notice: `Added “${doc_id}” as version ${version}.` } });
      return;
    }
    await load();
    setStatus(action === "unchanged" ? `No changes to save; the current version is ${version}.` : `Saved version ${version}.`);
  };

  if (mode === "edit" && !doc) {
    return error ? (
      <section className="stack"><h2>Edit document</h2><Alert tone="bad" live>{error}</Alert><Link to="/staff/kb">Back to the documents</Link></section>
    ) : <p role="status">Loading the document…</p>;
  }
  return (
    <section className="stack" aria-labelledby="kb-edit">
      <p><Link to="/staff/kb">← All documents</Link></p>
      <h2 id="kb-edit">{mode === "new" ? "Add a document" : `Edit: ${doc?.title}`}</h2>
      {doc && (
        <p className="muted">
          Current version <strong>{doc.version}</strong>, effective {doc.effective_date} · {doc.products.join(", ")} ·{" "}
          <Link to={`/kb/${encodeURIComponent(doc.doc_id)}`}>Read as applicants see it</Link>
        </p>
      )}
      {doc?.deleted && <Alert tone="warn">This document is withdrawn: the advisor does not find it. Saving a version publishes it again.</Alert>}
      <div role="status" aria-live="polite">{status && <Alert tone="ok">{status}</Alert>}</div>
      {error && <Alert tone="bad" live>{error}</Alert>}
      <form className="stack" onSubmit={(e) => void save(e)} noValidate>
        <TextAreaField
          label="Document (Markdown with front matter)"
          hint={HINT}
          errors={fieldErrors}
          value={text}
          rows={18}
          areaRef={area}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="row">
          <button type="submit" className="btn" disabled={busy}>{mode === "new" ? "Add document" : "Save new version"}</button>
          <Link className="btn secondary" to="/staff/kb">Cancel</Link>
        </div>
      </form>
      {doc && !doc.deleted && <Withdraw doc={doc} />}
    </section>
  );
}

export default function KbEditor() {
  return (
    <Routes>
      <Route index element={<DocumentList />} />
      <Route path="new" element={<DocumentEditor key="new" mode="new" />} />
      <Route path="doc/:docId" element={<DocumentEditor key="edit" mode="edit" />} />
      <Route path="draft/:draftId" element={<KbDraftEditor />} />
    </Routes>
  );
}
