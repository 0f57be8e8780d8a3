// My applications: status, decision reasons, next steps, the documents a conditional approval
// waits for, history, uploads, withdraw.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import {
  listApplications, listDocuments, listOffers, uploadDocument, withdrawApplication,
  type Application, type Offer, type Decision, type Document, type DocumentKind,
} from "../api/endpoints";
import { Alert, Badge, Card, SelectField } from "../design/components";
import { products } from "../lending/bounds";
import { money, pct } from "../lending/format";
import { DocumentChecklist } from "../offers/DocumentChecklist";
import { customerReasons, outcomeText, sentence } from "../lending/messages";
import { canHaveOffers, isDecided, statusInfo } from "./status";
import { usePageTitle } from "./usePageTitle";

const KINDS: { value: DocumentKind; label: string }[] = [
  { value: "proof_of_income", label: "Proof of income" },
  { value: "identity", label: "Identity document" },
  { value: "other", label: "Other" },
];

function Documents({ app }: { app: Application }) {
  const [docs, setDocs] = useState<Document[]>([]);
  const [kind, setKind] = useState<DocumentKind>("proof_of_income");
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const load = useCallback(
    () => void listDocuments().then((r) => r.ok && setDocs(r.data.filter((d) => d.application_id === app.application_id))),
    [app.application_id],
  );
  useEffect(load, [load]);
  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setNote({ tone: "bad", text: "Choose a file to upload." });
    const r = await uploadDocument(app.application_id, kind, file);
    setNote(r.ok ? { tone: "ok", text: `${file.name} uploaded.` } : { tone: "bad", text: r.message });
    if (r.ok) setFile(null);
    load();
  };
  const uid = app.application_id;
  return (
    <section aria-labelledby={`docs-${uid}`} className="stack">
      <h3 id={`docs-${uid}`}>Documents</h3>
      {docs.length ? (
        <ul>{docs.map((d) => <li key={d.document_id}>{d.filename} ({KINDS.find((k) => k.value === d.kind)?.label ?? d.kind}, {Math.ceil(d.size_bytes / 1024)} KB)</li>)}</ul>
      ) : (
        <p className="muted">No documents uploaded yet.</p>
      )}
      <form className="form-grid" onSubmit={(e) => void upload(e)} aria-label="Upload a document">
        <SelectField label="Document type" id={`kind-${uid}`} value={kind} options={KINDS} onChange={(e) => setKind(e.target.value as DocumentKind)} />
        <div className="field">
          <label htmlFor={`up-${uid}`}>File (PDF, JPEG or PNG)</label>
          <input id={`up-${uid}`} type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <div style={{ alignSelf: "end" }}>
          <button type="submit" className="btn secondary">Upload</button>
        </div>
      </form>
      {note && <Alert tone={note.tone} live>{note.text}</Alert>}
    </section>
  );
}

/** The decision in the catalogue's words: no tier, no probability, no rate on a decline. */
function DecisionView({ d, uid }: { d: Decision; uid: string }) {
  const text = outcomeText(d.outcome);
  const reasons = customerReasons(d);
  return (
    <section aria-labelledby={`dec-${uid}`}>
      <h3 id={`dec-${uid}`}>{text.headline}</h3>
      <p>{text.lead}</p>
      {reasons.length > 0 && (
        <>
          {text.reasons_intro && <p>{text.reasons_intro}</p>}
          <ul>{reasons.map((r) => <li key={r}>{r}</li>)}</ul>
        </>
      )}
      {text.show_rate && (
        <dl className="kv" style={{ maxWidth: 460 }}>
          <dt>Your interest rate</dt>
          <dd className="num">{pct(d.annual_rate_pct)}</dd>
          <dt>Monthly payment as requested</dt>
          <dd className="num">{money(d.monthly_payment)}</dd>
          <dt>Debt-to-income with this loan</dt>
          <dd className="num">{pct(d.dti_pct)} (limit {pct(d.max_dti_pct)})</dd>
        </dl>
      )}
    </section>
  );
}

/** A history entry in words: "Offer accepted: $18,000 over 48 months at 7.57%" (the accepted offer's terms). */
function historyLabel(status: string, accepted: Offer | null): string {
  const label = statusInfo(status).label;
  if (status === "offer_accepted" && accepted) {
    return `${label}: ${money(accepted.amount, false)} over ${accepted.tenure_months} months at ${pct(accepted.annual_rate_pct)}`;
  }
  return label;
}

/** The offer the applicant accepted (the application keeps the terms first asked for). */
function useAcceptedOffer(app: Application): Offer | null {
  const [offer, setOffer] = useState<Offer | null>(null);
  useEffect(() => {
    if (app.status !== "offer_accepted") return setOffer(null);
    let live = true;
    void listOffers(app.application_id).then((r) => live && r.ok && setOffer(r.data.offers.find((o) => o.status === "accepted") ?? null));
    return () => {
      live = false;
    };
  }, [app.application_id, app.status]);
  return offer;
}

// Internal references (offer and application ids) never reach the applicant's history.
const INTERNAL_ID = /\b[a-z]{2,4}_[a-z0-9]{8,}\b/i;

function ApplicationDetail({ app, onChange }: { app: Application; onChange: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const info = statusInfo(app.status);
  const accepted = useAcceptedOffer(app);
  const d = app.decision;
  const uid = app.application_id;
  const withdraw = async () => {
    const r = await withdrawApplication(uid);
    setConfirming(false);
    if (r.ok) onChange();
    else setError(r.message);
  };
  // An accepted offer can still be withdrawn during the cooling-off period (the API decides).
  const open = ["received", "under_review", "approved", "offer_accepted"].includes(app.status);
  return (
    <Card aria-labelledby={`app-${uid}`} className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={`app-${uid}`} style={{ margin: 0 }}>
          {products()[app.product]?.label ?? "Loan"} of {money(accepted?.amount ?? app.amount, false)} over {accepted?.tenure_months ?? app.tenure_months} months
        </h2>
        <Badge tone={info.tone}>{info.label}</Badge>
      </div>
      {info.next && <p><strong>What happens next:</strong> {info.next}</p>}
      {accepted && (
        <section aria-labelledby={`loan-${uid}`}>
          <h3 id={`loan-${uid}`}>Your loan</h3>
          <dl className="kv" style={{ maxWidth: 460 }}>
            <dt>Amount</dt><dd>{money(accepted.amount)}</dd>
            <dt>Term</dt><dd>{accepted.tenure_months} months</dd>
            <dt>Interest rate</dt><dd>{pct(accepted.annual_rate_pct)}</dd>
            <dt>APR</dt><dd>{pct(accepted.apr_pct)}</dd>
            <dt>Monthly payment</dt><dd>{money(accepted.monthly_payment)}</dd>
            <dt>Total cost of credit</dt><dd>{money(accepted.total_cost)}</dd>
          </dl>
        </section>
      )}
      {d && !accepted && <DecisionView d={d} uid={uid} />}
      <div className="row">
        {canHaveOffers(app.status) && <Link className="btn" to={`/applications/${uid}/offers`}>See your offers</Link>}
        {canHaveOffers(app.status) && <Link className="btn secondary" to={`/applications/${uid}/compare`}>Compare and adjust</Link>}
        {isDecided(app.status) && <Link className="btn secondary" to={`/applications/${uid}/feedback`}>Rate your experience</Link>}
        {app.status === "declined" && <Link className="btn secondary" to="/chat">Ask the advisor what to change</Link>}
      </div>
      <DocumentChecklist app={app} />
      <Documents app={app} />
      {app.history.length > 0 && (
        <section aria-labelledby={`hist-${uid}`}>
          <h3 id={`hist-${uid}`}>History</h3>
          <ol>
            {app.history.map((h, i) => (
              <li key={i}>
                {historyLabel(h.status, accepted)} — <time dateTime={h.at}>{new Date(h.at).toLocaleString("en-US")}</time>
                {h.by !== "system" && <> by {h.by === "staff" ? "a loan officer" : "you"}</>}
                {h.note && h.note !== h.status && !INTERNAL_ID.test(h.note) && <> — {sentence(statusInfo(h.note).label)}</>}
              </li>
            ))}
          </ol>
        </section>
      )}
      {open && (
        <div className="row">
          {!confirming ? (
            <button type="button" className="btn secondary" onClick={() => setConfirming(true)}>Withdraw application</button>
          ) : (
            <div role="group" aria-label="Confirm withdrawal" className="row">
              <span>{app.status === "offer_accepted" ? "Withdraw from this loan during the cooling-off period? This cannot be undone." : "Withdraw this application? This cannot be undone."}</span>
              <button type="button" className="btn" onClick={() => void withdraw()}>Yes, withdraw</button>
              <button type="button" className="btn secondary" onClick={() => setConfirming(false)}>Keep it</button>
            </div>
          )}
        </div>
      )}
      {error && <Alert tone="bad" live>{error}</Alert>}
    </Card>
  );
}

export function Dashboard() {
  usePageTitle("My applications");
  const [params, setParams] = useSearchParams();
  const [apps, setApps] = useState<Application[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void listApplications().then((r) => (r.ok ? setApps(r.data) : setError(r.message)));
  }, []);
  useEffect(load, [load]);
  const selected = params.get("application") ?? apps?.[0]?.application_id;
  const app = apps?.find((a) => a.application_id === selected);
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h1 style={{ margin: 0 }}>My applications</h1>
        <Link className="btn" to="/apply">New application</Link>
      </div>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {apps === null && !error && <p role="status">Loading your applications…</p>}
      {apps?.length === 0 && (
        <Card><p>You have no applications yet. <Link to="/apply">Start one</Link> — it takes about five minutes.</p></Card>
      )}
      {apps && apps.length > 1 && (
        <nav aria-label="Applications">
          <ul className="row" style={{ listStyle: "none", padding: 0 }}>
            {apps.map((a) => (
              <li key={a.application_id}>
                <button type="button" className="btn secondary" aria-current={a.application_id === selected ? "true" : undefined} onClick={() => setParams({ application: a.application_id })}>
                  {products()[a.product]?.label ?? "Loan"} {money(a.amount, false)} — {statusInfo(a.status).label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {app && <ApplicationDetail app={app} onChange={load} />}
    </div>
  );
}
