// My applications: status, decision reasons, next steps, history, documents, withdraw.
import { useCallback, useEffect, useState, type ChangeEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import {
  getHistory, listApplications, listDocuments, uploadDocument, withdrawApplication,
  type ApplicationView, type DocumentView, type ReasonView, type StatusEvent,
} from "../api/endpoints";
import { Alert, Badge, Card } from "../design/components";
import { products } from "../lending/bounds";
import { money, pct } from "../lending/format";
import { canHaveOffers, isDecided, statusInfo } from "./status";
import { usePageTitle } from "./usePageTitle";

const reasonText = (r: ReasonView | string) => (typeof r === "string" ? r : r.message ?? r.text ?? r.code ?? "");
const loanOf = (a: ApplicationView) => ({
  product: a.loan?.product ?? a.product ?? "",
  amount: a.loan?.amount ?? a.amount,
  tenure: a.loan?.tenure_months ?? a.tenure_months,
});

function Documents({ app }: { app: ApplicationView }) {
  const [docs, setDocs] = useState<DocumentView[]>([]);
  const [note, setNote] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  const load = useCallback(() => void listDocuments(app.application_id).then((r) => r.ok && setDocs(r.data)), [app.application_id]);
  useEffect(load, [load]);
  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const r = await uploadDocument(app.application_id, file);
    setNote(r.ok ? { tone: "ok", text: `${file.name} uploaded.` } : { tone: "bad", text: r.message });
    e.target.value = "";
    load();
  };
  const required = app.decision?.required_documents ?? [];
  return (
    <section aria-labelledby={`docs-${app.application_id}`} className="stack">
      <h3 id={`docs-${app.application_id}`}>Documents</h3>
      {required.length > 0 && (
        <>
          <p>We need:</p>
          <ul>{required.map((d) => <li key={d}>{d}</li>)}</ul>
        </>
      )}
      {docs.length ? (
        <ul>{docs.map((d) => <li key={d.document_id}>{d.filename}</li>)}</ul>
      ) : (
        <p className="muted">No documents uploaded yet.</p>
      )}
      <div className="field">
        <label htmlFor={`up-${app.application_id}`}>Upload a document (PDF, JPEG or PNG)</label>
        <input id={`up-${app.application_id}`} type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" onChange={(e) => void upload(e)} />
      </div>
      {note && <Alert tone={note.tone} live>{note.text}</Alert>}
    </section>
  );
}

function ApplicationDetail({ app, onChange }: { app: ApplicationView; onChange: () => void }) {
  const [history, setHistory] = useState<StatusEvent[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void getHistory(app.application_id).then((r) => r.ok && setHistory(r.data)), [app.application_id, app.status]);
  const info = statusInfo(app.status);
  const loan = loanOf(app);
  const d = app.decision;
  const withdraw = async () => {
    const r = await withdrawApplication(app.application_id);
    setConfirming(false);
    if (r.ok) onChange();
    else setError(r.message);
  };
  const open = !["withdrawn", "declined", "rejected", "offer_accepted", "accepted"].includes(app.status.toLowerCase());
  return (
    <Card aria-labelledby={`app-${app.application_id}`} className="stack">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={`app-${app.application_id}`} style={{ margin: 0 }}>
          {products()[loan.product]?.label ?? "Loan"} of {money(loan.amount, false)} over {loan.tenure} months
        </h2>
        <Badge tone={info.tone}>{info.label}</Badge>
      </div>
      {info.next && <p><strong>What happens next:</strong> {info.next}</p>}
      {d && (
        <section aria-labelledby={`dec-${app.application_id}`}>
          <h3 id={`dec-${app.application_id}`}>Decision</h3>
          {d.reasons.length > 0 ? (
            <>
              <p>{statusInfo(d.outcome).tone === "bad" ? "The main reasons:" : "What we took into account:"}</p>
              <ul>{d.reasons.map((r, i) => <li key={i}>{reasonText(r)}</li>)}</ul>
            </>
          ) : (
            <p>Your application meets our lending policy.</p>
          )}
          {d.annual_rate_pct !== undefined && (
            <dl className="kv" style={{ maxWidth: 420 }}>
              <dt>Rate for your risk tier {d.risk_tier ? `(${d.risk_tier})` : ""}</dt>
              <dd>{pct(d.annual_rate_pct)}</dd>
              {d.monthly_payment !== undefined && (<><dt>Monthly payment as requested</dt><dd>{money(d.monthly_payment)}</dd></>)}
              {d.dti_pct !== undefined && (<><dt>Debt-to-income with this loan</dt><dd>{pct(d.dti_pct)}{d.max_dti_pct !== undefined ? ` (limit ${pct(d.max_dti_pct)})` : ""}</dd></>)}
            </dl>
          )}
        </section>
      )}
      <div className="row">
        {canHaveOffers(app.status) && <Link className="btn" to={`/applications/${app.application_id}/offers`}>See your offers</Link>}
        {canHaveOffers(app.status) && <Link className="btn secondary" to={`/applications/${app.application_id}/compare`}>Compare and adjust</Link>}
        {isDecided(app.status) && <Link className="btn secondary" to={`/applications/${app.application_id}/feedback`}>Rate your experience</Link>}
        {!canHaveOffers(app.status) && statusInfo(app.status).tone === "bad" && <Link className="btn secondary" to="/chat">Ask the advisor what to change</Link>}
      </div>
      <Documents app={app} />
      {history.length > 0 && (
        <section aria-labelledby={`hist-${app.application_id}`}>
          <h3 id={`hist-${app.application_id}`}>History</h3>
          <ol>
            {history.map((h, i) => (
              <li key={i}>
                {statusInfo(h.status).label}
                {(h.at ?? h.created_at) && <> — <time dateTime={h.at ?? h.created_at}>{new Date(h.at ?? h.created_at ?? "").toLocaleString("en-US")}</time></>}
                {h.note && <> — {h.note}</>}
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
              <span>Withdraw this application? This cannot be undone.</span>
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
  const [apps, setApps] = useState<ApplicationView[] | null>(null);
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
            {apps.map((a) => {
              const l = loanOf(a);
              return (
                <li key={a.application_id}>
                  <button type="button" className="btn secondary" aria-current={a.application_id === selected ? "true" : undefined} onClick={() => setParams({ application: a.application_id })}>
                    {products()[l.product]?.label ?? "Loan"} {money(l.amount, false)} — {statusInfo(a.status).label}
                  </button>
                </li>
              );
            })}
          </ul>
        </nav>
      )}
      {app && <ApplicationDetail app={app} onChange={load} />}
    </div>
  );
}
