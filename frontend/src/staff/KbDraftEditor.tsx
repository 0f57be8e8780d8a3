// A knowledge-base draft opened from a gap on the operations dashboard: pre-filled from the topic
// (title, the example questions as a checklist), kept as a draft in this browser, and published
// (POST, as "Add a document" does) only after the editor confirms. The API validates the text.
import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { addKbDocument } from "../api/endpoints";
import { Alert } from "../design/components";
import { usePageTitle } from "../pages/usePageTitle";
import { HINT, splitFailure, TextAreaField } from "./kbFields";
import { deleteDraft, gapDraft, getDraft, openQuestions, saveDraft, type GapSeed, type KbDraft } from "./kbDrafts";

/** The stored draft, else a new one from the gap the dashboard passed (saved at once). */
function startDraft(id: string, seed: GapSeed | undefined): KbDraft | null {
  const stored = getDraft(id);
  if (stored) return stored;
  return seed ? saveDraft(gapDraft(seed)) : null;
}

export default function KbDraftEditor() {
  const { draftId = "" } = useParams();
  const seed = (useLocation().state as { gap?: GapSeed } | null)?.gap;
  const navigate = useNavigate();
  const [draft] = useState(() => startDraft(draftId, seed));
  const [text, setText] = useState(draft?.text ?? "");
  const [status, setStatus] = useState(draft ? "Draft saved in this browser. It is not published." : "");
  const [fieldErrors, setFieldErrors] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  usePageTitle(`Draft: ${draft?.title ?? draftId}`);
  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  if (!draft) {
    return (
      <section className="stack">
        <h2>Draft a document</h2>
        <Alert tone="bad" live>There is no draft “{draftId}” in this browser. Start one from a knowledge gap on the operations dashboard.</Alert>
        <Link to="/staff/kb">Back to the documents</Link>
      </section>
    );
  }
  const save = () => {
    saveDraft({ ...draft, text });
    setStatus("Draft saved in this browser. It is not published.");
  };
  const publish = async () => {
    setBusy(true);
    setError(null);
    const r = await addKbDocument(text);
    setBusy(false);
    setConfirming(false);
    if (!r.ok) {
      const { field, general } = splitFailure(r);
      setFieldErrors(field);
      setError(general);
      if (field.length) area.current?.focus();
      return;
    }
    deleteDraft(draft.id);
    const { doc_id, version } = r.data;
    navigate(`/staff/kb/doc/${encodeURIComponent(doc_id)}`, { state: { notice: `Published “${doc_id}” as version ${version}; the advisor can cite it now.` } });
  };
  const unanswered = openQuestions(text);
  return (
    <section className="stack" aria-labelledby="kb-draft">
      <p><Link to="/staff/kb">← All documents</Link></p>
      <h2 id="kb-draft">Draft: {draft.title}</h2>
      <p className="muted">From the knowledge gap “{draft.topic}”. Drafts stay in this browser until you publish them.</p>
      <div role="status" aria-live="polite">{status && <Alert tone="ok">{status}</Alert>}</div>
      {error && <Alert tone="bad" live>{error}</Alert>}
      <TextAreaField label="Document (Markdown with front matter)" hint={HINT} errors={fieldErrors} value={text} rows={18} areaRef={area}
        onChange={(e) => { setText(e.target.value); setStatus(""); }} />
      {!confirming ? (
        <div className="row">
          <button type="button" className="btn secondary" onClick={save}>Save draft</button>
          <button type="button" className="btn" onClick={() => { save(); setConfirming(true); }}>Publish…</button>
        </div>
      ) : (
        <div className="card stack" role="group" aria-labelledby="kb-draft-q" onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
          <p id="kb-draft-q">
            <strong>Publish “{draft.title}”?</strong> The advisor starts citing it as soon as it is added.
            {unanswered > 0 && ` ${unanswered} question${unanswered === 1 ? " is" : "s are"} still unticked on the checklist.`}
          </p>
          <div className="row">
            <button type="button" className="btn" disabled={busy} onClick={() => void publish()}>Yes, publish</button>
            <button ref={cancel} type="button" className="btn secondary" onClick={() => setConfirming(false)}>Keep as draft</button>
          </div>
        </div>
      )}
    </section>
  );
}
