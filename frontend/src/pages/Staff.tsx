// Staff area: review queue, feedback review, knowledge-base editor, advisor handovers, KPI dashboard, experiment results.
import { lazy, Suspense, useEffect, useState } from "react";
import { NavLink, Route, Routes } from "react-router-dom";
import {
  staffHandovers, staffMetrics, staffQueue, staffReview,
  type Handover, type ReviewItem, type StaffMetrics,
} from "../api/endpoints";
import { Alert, Badge, TextField } from "../design/components";
import { BarChart } from "../staff/charts";
import { products } from "../lending/bounds";
import { money } from "../lending/format";
import { statusInfo } from "./status";
import { usePageTitle } from "./usePageTitle";

// The editor and the experiment results load only when opened.
const KbEditor = lazy(() => import("../staff/KbEditor"));
const Experiments = lazy(() => import("../staff/Experiments"));
const EvalRuns = lazy(() => import("../staff/EvalRuns"));
const Dashboard = lazy(() => import("../staff/Dashboard"));
const FeedbackReview = lazy(() => import("../staff/FeedbackReview"));

function Queue() {
  usePageTitle("Review queue");
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const load = () => void staffQueue().then((r) => (r.ok ? setItems(r.data) : setError(r.message)));
  useEffect(load, []);
  const decide = async (id: string, outcome: "approved" | "declined") => {
    const r = await staffReview(id, { outcome, note: notes[id] ?? "" });
    if (!r.ok) setError(r.message);
    load();
  };
  return (
    <section className="stack" aria-labelledby="q">
      <h2 id="q">Review queue</h2>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {items?.length === 0 && <p>Nothing waiting for review.</p>}
      {items?.map(({ application: a, reasons }) => (
        <article key={a.application_id} className="card stack" aria-labelledby={`q-${a.application_id}`}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h3 id={`q-${a.application_id}`} style={{ margin: 0 }}>{products()[a.product]?.label ?? a.product} {money(a.amount, false)}, {a.tenure_months} months</h3>
            <Badge tone={statusInfo(a.status).tone}>{statusInfo(a.status).label}</Badge>
          </div>
          {reasons.length > 0 && <ul>{reasons.map((r, i) => <li key={i}>{typeof r === "string" ? r : JSON.stringify(r)}</li>)}</ul>}
          <TextField label="Note to the applicant" value={notes[a.application_id] ?? ""} onChange={(e) => setNotes({ ...notes, [a.application_id]: e.target.value })} />
          <div className="row">
            <button type="button" className="btn" onClick={() => void decide(a.application_id, "approved")}>Approve</button>
            <button type="button" className="btn secondary" onClick={() => void decide(a.application_id, "declined")}>Decline</button>
          </div>
        </article>
      ))}
    </section>
  );
}

function Handovers() {
  usePageTitle("Handovers");
  const [items, setItems] = useState<Handover[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void staffHandovers().then((r) => (r.ok ? setItems(r.data) : setError(r.message))), []);
  return (
    <section className="stack" aria-labelledby="ho">
      <h2 id="ho">Conversations handed to a person</h2>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {items?.length === 0 && <p>No open handovers.</p>}
      {items && items.length > 0 && (
        <ul>{items.map((h, i) => <li key={i}><time dateTime={h.requested_at}>{new Date(h.requested_at).toLocaleString("en-US")}</time> — {h.reason}</li>)}</ul>
      )}
    </section>
  );
}

function Kpis() {
  usePageTitle("KPIs");
  const [m, setM] = useState<StaffMetrics | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void staffMetrics().then((r) => (r.ok ? setM(r.data) : setError(r.message))), []);
  const entries = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => [k.replace(/_/g, " "), v] as [string, number]);
  return (
    <section className="stack" aria-labelledby="kpi">
      <h2 id="kpi">Records at a glance</h2>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {m && (
        <div className="grid">
          <BarChart title="Applications by status" data={entries(m.applications_by_status)} />
          <BarChart title="Feedback" data={entries(m.feedback)} />
          <BarChart title="Recent events" data={entries(m.events_recent)} />
        </div>
      )}
    </section>
  );
}

export default function Staff() {
  usePageTitle("Staff");
  return (
    <div className="stack">
      <h1>Staff area</h1>
      <nav aria-label="Staff">
        <ul className="nav">
          <li><NavLink end to="/staff">Review queue</NavLink></li>
          <li><NavLink to="/staff/feedback">Feedback review</NavLink></li>
          <li><NavLink to="/staff/kpis">KPIs</NavLink></li>
          <li><NavLink to="/staff/kb">Knowledge base</NavLink></li>
          <li><NavLink to="/staff/experiments">Experiments</NavLink></li>
          <li><NavLink to="/staff/evals">Evals</NavLink></li>
          <li><NavLink to="/staff/handovers">Handovers</NavLink></li>
        </ul>
      </nav>
      <Suspense fallback={<p role="status">Loading…</p>}>
        <Routes>
          <Route index element={<Queue />} />
          <Route path="feedback" element={<FeedbackReview />} />
          <Route path="kpis" element={<><Dashboard /><Kpis /></>} />
          <Route path="kb/*" element={<KbEditor />} />
          <Route path="experiments" element={<Experiments />} />
          <Route path="evals" element={<EvalRuns />} />
          <Route path="handovers" element={<Handovers />} />
        </Routes>
      </Suspense>
    </div>
  );
}
