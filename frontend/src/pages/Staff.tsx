// Staff area: review queue, knowledge-base search, advisor handovers, KPI dashboard.
import { useEffect, useState, type FormEvent } from "react";
import { NavLink, Route, Routes } from "react-router-dom";
import {
  staffHandovers, staffKbSearch, staffMetrics, staffQueue, staffReview,
  type Handover, type KbHit, type ReviewItem, type StaffMetrics,
} from "../api/endpoints";
import { Alert, Badge, TextField } from "../design/components";
import { products } from "../lending/bounds";
import { money } from "../lending/format";
import { statusInfo } from "./status";
import { usePageTitle } from "./usePageTitle";

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

function Knowledge() {
  usePageTitle("Knowledge base");
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<KbHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    const r = await staffKbSearch(q.trim());
    if (r.ok) setHits(r.data);
    else setError(r.message);
  };
  return (
    <section className="stack" aria-labelledby="kb">
      <h2 id="kb">Knowledge base</h2>
      <p className="muted">Search what the advisor cites. Edit documents with <code>loan-advisor kb update</code>.</p>
      <form className="row" onSubmit={(e) => void search(e)} role="search">
        <div style={{ flex: "1 1 16rem" }}><TextField label="Search the policy" value={q} onChange={(e) => setQ(e.target.value)} /></div>
        <button type="submit" className="btn" style={{ alignSelf: "end" }}>Search</button>
      </form>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {hits?.length === 0 && <p role="status">No passages match.</p>}
      {hits?.map((h) => (
        <article key={h.doc_id + h.section} className="card">
          <h3><a href={h.url}>{h.title} — {h.section}</a></h3>
          <p className="muted">{h.doc_id} v{String(h.version)} · score {h.score.toFixed(3)}</p>
          <p>{h.text}</p>
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

/** A bar chart with the same numbers in a table for screen readers. */
export function BarChart({ title, data }: { title: string; data: [string, number][] }) {
  const max = Math.max(1, ...data.map(([, v]) => v));
  return (
    <figure className="card" style={{ margin: 0 }}>
      <figcaption style={{ fontWeight: 600 }}>{title}</figcaption>
      {data.length === 0 && <p className="muted">No data yet.</p>}
      <div aria-hidden="true">
        {data.map(([k, v]) => (
          <div key={k} style={{ display: "grid", gridTemplateColumns: "8rem 1fr 4rem", gap: "0.5rem", alignItems: "center" }}>
            <span>{k}</span>
            <div className="bar" style={{ width: `${(v / max) * 100}%` }} />
            <span>{Number.isInteger(v) ? v : v.toFixed(3)}</span>
          </div>
        ))}
      </div>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>{data.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody>
      </table>
    </figure>
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
      <h2 id="kpi">KPI dashboard</h2>
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
          <li><NavLink to="/staff/kpis">KPIs</NavLink></li>
          <li><NavLink to="/staff/kb">Knowledge base</NavLink></li>
          <li><NavLink to="/staff/handovers">Handovers</NavLink></li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<Queue />} />
        <Route path="kpis" element={<Kpis />} />
        <Route path="kb" element={<Knowledge />} />
        <Route path="handovers" element={<Handovers />} />
      </Routes>
    </div>
  );
}
