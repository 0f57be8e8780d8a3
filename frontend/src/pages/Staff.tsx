// Staff area: review queue, knowledge-base editor, experiment results, KPI dashboard.
import { useEffect, useState } from "react";
import { NavLink, Route, Routes } from "react-router-dom";
import {
  staffDecide, staffExperiments, staffKbDocument, staffKbDocuments, staffKbSave, staffMetrics, staffQueue,
  type ApplicationView,
} from "../api/endpoints";
import { Alert, Badge, TextField } from "../design/components";
import { money } from "../lending/format";
import { statusInfo } from "./status";
import { usePageTitle } from "./usePageTitle";

function Queue() {
  usePageTitle("Review queue");
  const [apps, setApps] = useState<ApplicationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const load = () => void staffQueue().then((r) => (r.ok ? setApps(r.data) : setError(r.message)));
  useEffect(load, []);
  const decide = async (id: string, outcome: string) => {
    const r = await staffDecide(id, outcome, notes[id] ?? "");
    if (!r.ok) setError(r.message);
    load();
  };
  return (
    <section className="stack" aria-labelledby="q">
      <h2 id="q">Review queue</h2>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {apps?.length === 0 && <p>Nothing waiting for review.</p>}
      {apps?.map((a) => (
        <article key={a.application_id} className="card stack" aria-label={`Application ${a.application_id}`}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h3 style={{ margin: 0 }}>{a.loan?.product ?? a.product} {money(a.loan?.amount ?? a.amount, false)}</h3>
            <Badge tone={statusInfo(a.status).tone}>{statusInfo(a.status).label}</Badge>
          </div>
          {a.decision?.reasons?.length ? <ul>{a.decision.reasons.map((r, i) => <li key={i}>{typeof r === "string" ? r : r.message ?? r.text}</li>)}</ul> : null}
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

function KbEditor() {
  usePageTitle("Knowledge base");
  const [docs, setDocs] = useState<{ doc_id: string; title: string }[]>([]);
  const [sel, setSel] = useState<string>("");
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const [msg, setMsg] = useState<{ tone: "ok" | "bad"; text: string } | null>(null);
  useEffect(() => void staffKbDocuments().then((r) => r.ok ? setDocs(r.data) : setMsg({ tone: "bad", text: r.message })), []);
  useEffect(() => {
    if (!sel) return;
    void staffKbDocument(sel).then((r) => {
      if (r.ok) {
        setTitle(r.data.title);
        setText(r.data.text ?? r.data.body ?? "");
      }
    });
  }, [sel]);
  const save = async () => {
    const r = await staffKbSave(sel, { title, text });
    setMsg(r.ok ? { tone: "ok", text: "Saved as a new version; the index updates shortly." } : { tone: "bad", text: r.message });
  };
  return (
    <section className="stack" aria-labelledby="kb">
      <h2 id="kb">Knowledge base</h2>
      <div className="field">
        <label htmlFor="kb-doc">Document</label>
        <select id="kb-doc" value={sel} onChange={(e) => setSel(e.target.value)}>
          <option value="">Choose a document…</option>
          {docs.map((d) => <option key={d.doc_id} value={d.doc_id}>{d.title}</option>)}
        </select>
      </div>
      {sel && (
        <>
          <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} />
          <div className="field">
            <label htmlFor="kb-text">Text (Markdown)</label>
            <textarea id="kb-text" rows={16} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <button type="button" className="btn" onClick={() => void save()}>Save new version</button>
        </>
      )}
      {msg && <Alert tone={msg.tone} live>{msg.text}</Alert>}
    </section>
  );
}

/** A bar chart with the same numbers in a table for screen readers. */
export function BarChart({ title, data }: { title: string; data: [string, number][] }) {
  const max = Math.max(1, ...data.map(([, v]) => v));
  return (
    <figure className="card" style={{ margin: 0 }}>
      <figcaption style={{ fontWeight: 600 }}>{title}</figcaption>
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

function numericEntries(o: unknown): [string, number][] {
  return Object.entries((o ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === "number") as [string, number][];
}

function Kpis() {
  usePageTitle("KPIs");
  const [m, setM] = useState<Record<string, unknown> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void staffMetrics().then((r) => (r.ok ? setM(r.data) : setError(r.message))), []);
  const groups = m ? Object.entries(m).filter(([, v]) => v && typeof v === "object" && !Array.isArray(v)) : [];
  return (
    <section className="stack" aria-labelledby="kpi">
      <h2 id="kpi">KPI dashboard</h2>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {m && numericEntries(m).length > 0 && <BarChart title="Headline figures" data={numericEntries(m)} />}
      <div className="grid">{groups.map(([k, v]) => <BarChart key={k} title={k.replace(/_/g, " ")} data={numericEntries(v)} />)}</div>
    </section>
  );
}

function Experiments() {
  usePageTitle("Experiments");
  const [data, setData] = useState<unknown>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void staffExperiments().then((r) => (r.ok ? setData(r.data) : setError(r.message))), []);
  const list = (Array.isArray(data) ? data : Object.values((data ?? {}) as Record<string, unknown>)) as Record<string, unknown>[];
  return (
    <section className="stack" aria-labelledby="exp">
      <h2 id="exp">Experiment results</h2>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {list.map((e, i) => (
        <article key={i} className="card">
          <h3>{String(e.name ?? e.experiment ?? `Experiment ${i + 1}`)}</h3>
          <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{JSON.stringify(e.results ?? e.variants ?? e, null, 2)}</pre>
        </article>
      ))}
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
          <li><NavLink to="/staff/kb">Knowledge base</NavLink></li>
          <li><NavLink to="/staff/experiments">Experiments</NavLink></li>
          <li><NavLink to="/staff/kpis">KPIs</NavLink></li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<Queue />} />
        <Route path="kb" element={<KbEditor />} />
        <Route path="experiments" element={<Experiments />} />
        <Route path="kpis" element={<Kpis />} />
      </Routes>
    </div>
  );
}
