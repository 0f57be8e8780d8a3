// The documents a conditional approval asks for. Each can be uploaded (stored with the
// application, then marked) or marked as provided; the API decides when Accept opens and says
// why it waits (`accept_blocked`), so this list only shows and changes the state it returns.
import { useState } from "react";
import { provideDocument, uploadDocument, type Application, type DocumentKind, type RequiredDocument } from "../api/endpoints";
import { Alert, Badge } from "../design/components";
import { documentState, documentsRemaining } from "../lending/messages";

function kindOf(name: string): DocumentKind {
  if (/\bID\b|identity/i.test(name)) return "identity";
  return /income|pay slip|tax return/i.test(name) ? "proof_of_income" : "other";
}

function Row({ applicationId, doc, index, onChange }: {
  applicationId: string; doc: RequiredDocument; index: number; onChange: (a: Application) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mark = async (file?: File) => {
    setBusy(true);
    setError(null);
    let documentId: string | undefined;
    if (file) {
      const up = await uploadDocument(applicationId, kindOf(doc.name), file);
      if (!up.ok) {
        setBusy(false);
        return setError(up.message);
      }
      documentId = up.data.document_id;
    }
    const r = await provideDocument(applicationId, doc.name, documentId);
    setBusy(false);
    if (r.ok) onChange(r.data);
    else setError(r.message);
  };
  const id = `doc-${index}`;
  return (
    <li className="stack doc-row">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span id={id}>{doc.name}</span>
        <Badge tone={doc.provided ? "ok" : "warn"}>{documentState(doc.provided)}</Badge>
      </div>
      {!doc.provided && (
        <div className="row">
          <input id={`${id}-file`} type="file" className="visually-hidden" accept="application/pdf,image/png,image/jpeg"
            disabled={busy} aria-describedby={id} onChange={(e) => { const f = e.target.files?.[0]; if (f) void mark(f); }} />
          <label className="btn secondary" htmlFor={`${id}-file`}>
            Upload<span className="visually-hidden">: {doc.name}</span>
          </label>
          <button type="button" className="btn secondary" disabled={busy} onClick={() => void mark()}>
            {busy ? "Saving…" : "Mark as provided"}<span className="visually-hidden">: {doc.name}</span>
          </button>
        </div>
      )}
      {error && <Alert tone="bad" live>{error}</Alert>}
    </li>
  );
}

/** The checklist; `onChange` gets the application as the API returns it after each change. */
export function RequiredDocuments({ applicationId, documents, onChange }: {
  applicationId: string; documents: RequiredDocument[]; onChange: (a: Application) => void;
}) {
  if (documents.length === 0) return null;
  const left = documents.filter((d) => !d.provided).length;
  return (
    <section className="card stack" aria-labelledby="docs-h">
      <h2 id="docs-h">Documents we need</h2>
      <p style={{ margin: 0 }} role="status">
        {documentsRemaining(left, documents.length)}
      </p>
      <ul style={{ listStyle: "none", padding: 0 }} className="stack">
        {documents.map((d, i) => <Row key={d.name} applicationId={applicationId} doc={d} index={i} onChange={onChange} />)}
      </ul>
    </section>
  );
}
