// Staff feedback review: the items the API opens for thumbs-down replies and ratings of 2 or less
// (api/feedback_reviews.py), open ones first. Each shows the exchange as stored (PII-redacted by the
// API), the rating and comment; staff resolve or dismiss it, or turn its conversation into a draft
// evals case after a confirm step that names the file the API will write (the item's draft_file).
import { useEffect, useRef, useState } from "react";
import {
  dismissFeedbackReview, feedbackReviewEvalCase, getFeedbackReview, listFeedbackReviews, resolveFeedbackReview,
  type FeedbackReview as Item, type FeedbackReviewDetail, type FeedbackReviewStatus,
} from "../api/endpoints";
import { Alert, Badge, SelectField, TextField } from "../design/components";
import { usePageTitle } from "../pages/usePageTitle";

const STATUS: Record<FeedbackReviewStatus, { label: string; tone: "warn" | "ok" | "info" }> = {
  open: { label: "Open", tone: "warn" },
  resolved: { label: "Resolved", tone: "ok" },
  dismissed: { label: "Dismissed", tone: "info" },
};
const SHOW = [
  { value: "", label: "All (open first)" },
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
  { value: "dismissed", label: "Dismissed" },
];
const when = (iso: string) => new Date(iso).toLocaleString("en-US");

/** What the applicant did: a thumbs-down on a reply, or a low rating of the process. */
export function itemTitle(item: Item): string {
  return item.thumb === "down" ? "Thumbs down on an advisor reply" : `Process rated ${item.rating ?? "?"} of 5`;
}

/** The conversation around the rated reply, loaded on demand. */
function Transcript({ itemId }: { itemId: string }) {
  const [detail, setDetail] = useState<FeedbackReviewDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void getFeedbackReview(itemId).then((r) => (r.ok ? setDetail(r.data) : setError(r.message))), [itemId]);
  if (error) return <Alert tone="bad" live>{error}</Alert>;
  if (!detail) return <p role="status">Loading the conversation…</p>;
  if (detail.transcript.length === 0) return <p>The conversation has no turns left to show.</p>;
  return (
    <ol className="stack" aria-label="Conversation, personal details masked">
      {detail.transcript.map((t, i) => (
        <li key={`${t.message_id}-${i}`}>
          <strong>{t.role === "applicant" ? "Applicant" : "Advisor"}{t.rated ? " (rated reply)" : ""}:</strong> {t.text}
        </li>
      ))}
    </ol>
  );
}

/** Turn the item's conversation into a draft evals case, after saying what will be written. */
function EvalCase({ item, onWritten }: { item: Item & { draft_file: string }; onWritten: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [written, setWritten] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const q = `ec-q-${item.item_id}`;
  const opener = useRef<HTMLButtonElement>(null);
  const was = useRef(false);
  // Opening the confirm step moves focus to its first field; leaving it returns focus to the opener.
  useEffect(() => {
    if (confirming) document.getElementById(`${q}-note`)?.focus();
    else if (was.current) opener.current?.focus();
    was.current = confirming;
  }, [confirming, q]);
  const write = async () => {
    setBusy(true);
    const r = await feedbackReviewEvalCase(item.item_id, note.trim());
    setBusy(false);
    if (!r.ok) return setError(r.fields.note ?? r.message);
    setError(undefined);
    setConfirming(false);
    setWritten(`Wrote the draft evals case ${r.data.item.eval_case ?? item.draft_file} (${r.data.draft.path}). It is in no suite until someone reviews it and moves it into one.`);
    onWritten();
  };
  const file = item.draft_file.split("/").pop();
  return (
    <div className="stack">
      <div role="status" aria-live="polite">{written && <Alert tone="ok">{written}</Alert>}</div>
      {!confirming ? (
        <p><button ref={opener} type="button" className="btn secondary" onClick={() => setConfirming(true)}>Turn into eval case</button></p>
      ) : (
        <div className="card stack" role="group" aria-labelledby={q} onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
          <p id={q}>
            <strong>Write the draft evals case {file}?</strong> It goes to <code>{item.draft_file}</code> under the service's data folder,
            replaying the applicant's turns of this conversation (personal details masked) with the reply quoted; it replaces an
            earlier draft from the same conversation and is added to no suite.
          </p>
          <TextField id={`${q}-note`} label="What went wrong" hint="Written into the case as its description." value={note}
            error={error} onChange={(e) => setNote(e.target.value)} />
          <div className="row">
            <button type="button" className="btn" disabled={busy} onClick={() => void write()}>Write the draft</button>
            <button type="button" className="btn secondary" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      )}
    </div>
  );
}

function ReviewCard({ item, onChanged }: { item: Item; onChanged: (notice?: string) => void }) {
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [showTranscript, setShowTranscript] = useState(false);
  const heading = `fr-${item.item_id}`;
  const close = async (action: "resolve" | "dismiss") => {
    setBusy(true);
    const r = action === "resolve" ? await resolveFeedbackReview(item.item_id, note.trim()) : await dismissFeedbackReview(item.item_id, note.trim());
    setBusy(false);
    if (!r.ok) return setError(r.message);
    onChanged(`${action === "resolve" ? "Resolved" : "Dismissed"}: ${itemTitle(item).toLowerCase()} from ${when(item.created_at)}.`);
  };
  const status = STATUS[item.status];
  return (
    // Thread ids and file paths are long unbroken words: let them wrap on a phone.
    <article className="card stack" aria-labelledby={heading} style={{ overflowWrap: "anywhere" }}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h3 id={heading} style={{ margin: 0 }}>{itemTitle(item)}</h3>
        <Badge tone={status.tone}>{status.label}</Badge>
      </div>
      <p className="muted">Received <time dateTime={item.created_at}>{when(item.created_at)}</time></p>
      {error && <Alert tone="bad" live>{error}</Alert>}
      <dl className="stack">
        {item.question && <div><dt>Applicant asked</dt><dd>{item.question}</dd></div>}
        {item.reply && <div><dt>Advisor replied</dt><dd>{item.reply}</dd></div>}
        <div><dt>Comment</dt><dd>{item.comment || "No comment."}</dd></div>
        {item.status !== "open" && (
          <div>
            <dt>{status.label}</dt>
            <dd>by {item.closed_by ?? "staff"}{item.closed_at && <> on <time dateTime={item.closed_at}>{when(item.closed_at)}</time></>}{item.note && <> — {item.note}</>}</dd>
          </div>
        )}
        {item.eval_case && <div><dt>Eval case draft</dt><dd><code>{item.eval_case}</code></dd></div>}
      </dl>
      {item.thread_id && (
        <>
          <p><button type="button" className="btn secondary" aria-expanded={showTranscript} onClick={() => setShowTranscript(!showTranscript)}>
            {showTranscript ? "Hide the conversation" : "Show the conversation"}
          </button></p>
          {showTranscript && <Transcript itemId={item.item_id} />}
        </>
      )}
      {item.status === "open" && (
        <div className="stack">
          <TextField label="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="row">
            <button type="button" className="btn" disabled={busy} onClick={() => void close("resolve")}>Resolve</button>
            <button type="button" className="btn secondary" disabled={busy} onClick={() => void close("dismiss")}>Dismiss</button>
          </div>
        </div>
      )}
      {item.draft_file && <EvalCase item={{ ...item, draft_file: item.draft_file }} onWritten={() => onChanged()} />}
    </article>
  );
}

export default function FeedbackReview() {
  usePageTitle("Feedback review");
  const [show, setShow] = useState("");
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const load = () =>
    void listFeedbackReviews((show || undefined) as FeedbackReviewStatus | undefined).then((r) => {
      setError(r.ok ? null : r.message);
      if (r.ok) setItems(r.data);
    });
  useEffect(load, [show]);
  const changed = (message?: string) => {
    if (message) setNotice(message);
    load();
  };
  return (
    <section className="stack" aria-labelledby="fr">
      <h2 id="fr">Feedback review</h2>
      <p className="muted">Thumbs-down replies and process ratings of 2 or less. Personal details are masked before anything is stored.</p>
      <div style={{ maxWidth: "16rem" }}>
        <SelectField label="Show" options={SHOW} value={show} onChange={(e) => setShow(e.target.value)} />
      </div>
      <div role="status" aria-live="polite">{notice && <Alert tone="ok">{notice}</Alert>}</div>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {!items && !error && <p role="status">Loading feedback…</p>}
      {items?.length === 0 && <p>Nothing to review.</p>}
      {items?.map((item) => <ReviewCard key={item.item_id} item={item} onChanged={changed} />)}
    </section>
  );
}
