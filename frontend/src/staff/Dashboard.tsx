// Staff operations dashboard: the business KPIs with submissions over time, the form and chat
// funnels with drop-off per step, the alarm rules' states, the model's drift and the question
// topics that point at FAQ / knowledge-base gaps. Every figure comes from the API as computed
// (storage/kpis.py, core/alarms.py, scoring/drift.py); the page only lays them out.
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { api, readProblem, type Schemas } from "../api/client";
import { Alert, Badge } from "../design/components";
import { usePageTitle } from "../pages/usePageTitle";
import { BarChart } from "./charts";
import { draftId, type GapSeed } from "./kbDrafts";

export type KpiReport = Schemas["KpiReport"];
export type OpsHealth = Schemas["OpsHealth"];
export type Topic = Schemas["Topic"];

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`);
const secs = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v < 120 ? `${v.toFixed(1)} s` : `${(v / 60).toFixed(1)} min`);

/** One headline figure. */
function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="card" style={{ minWidth: "10rem" }}>
      <div className="muted">{label}</div>
      <div style={{ fontSize: "1.5rem", fontWeight: 600 }}>{value}</div>
    </div>
  );
}

/** The headline KPIs of the window. */
export function KpiTiles({ k }: { k: KpiReport }) {
  return (
    <div className="row" style={{ flexWrap: "wrap" }} aria-label="Headline figures" role="group">
      <Tile label="Applications" value={String(k.applications)} />
      <Tile label="Approval rate" value={pct(k.approval_rate)} />
      <Tile label="Decline rate" value={pct(k.decline_rate)} />
      <Tile label="Referral rate" value={pct(k.referral_rate)} />
      <Tile label="Time to decision (p50)" value={secs(k.time_to_decision_p50_s)} />
      <Tile label="Time to decision (p95)" value={secs(k.time_to_decision_p95_s)} />
      <Tile label="Offer acceptance" value={pct(k.offer_acceptance_rate)} />
      <Tile label="Negotiation rate" value={pct(k.negotiation_rate)} />
      <Tile label="Thumbs down" value={pct(k.feedback.thumbs_down_share)} />
    </div>
  );
}

/** Each funnel's sessions per step, with the share lost since the previous step. */
export function Funnels({ k }: { k: KpiReport }) {
  return (
    <div className="grid">
      {k.funnels.map((f) => (
        <div key={f.channel} className="stack">
          <BarChart title={`${f.channel === "form" ? "Web form" : "Chat"} funnel: sessions per step`} data={f.steps.map((s) => [s.step.replace(/_/g, " "), s.sessions])} />
          <p className="muted">
            Conversion {pct(f.conversion)}. Drop-off: {f.steps.filter((s) => s.drop_off !== null).map((s) => `${s.step.replace(/_/g, " ")} ${pct(s.drop_off)}`).join(", ") || "no data yet"}.
          </p>
        </div>
      ))}
    </div>
  );
}

/** Alarm rules and their values on this API process. */
export function Alarms({ h }: { h: OpsHealth }) {
  return (
    <table>
      <caption>Alarm rules (this API process)</caption>
      <thead><tr><th scope="col">Rule</th><th scope="col">Value</th><th scope="col">Threshold</th><th scope="col">State</th></tr></thead>
      <tbody>
        {h.alarms.map((a) => (
          <tr key={a.rule}>
            <th scope="row">{a.rule.replace(/_/g, " ")}</th>
            <td>{a.value === null || a.value === undefined ? "no data" : a.value.toPrecision(3)}</td>
            <td>{a.threshold}</td>
            <td>{a.firing ? <Badge tone="bad">Firing</Badge> : <Badge tone="ok">OK</Badge>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Population stability per feature against the training data. */
export function Drift({ h }: { h: OpsHealth }) {
  if (!h.drift) return <p>No drift report yet. Run <code>loan-advisor scoring drift</code> to compare recent applicants with the training data.</p>;
  const tone = { ok: "ok", watch: "warn", act: "bad" } as const;
  return (
    <div className="stack">
      <p>Overall: <Badge tone={tone[h.drift.level]}>{h.drift.level}</Badge> (watch at PSI {h.drift.watch}, act at {h.drift.act})</p>
      <BarChart title="Population stability index per feature" data={h.drift.features.map((f) => [`${f.feature} (${f.level})`, Number(f.psi.toFixed(4))])} />
    </div>
  );
}

/** Question topics; gaps are what the KB answers poorly or what got thumbs down. A gap opens a
 * KB-editor draft pre-filled from the topic (never published without the editor confirming). */
export function Topics({ topics }: { topics: Topic[] }) {
  if (topics.length === 0) return <p>No questions recorded yet.</p>;
  return (
    <ul className="stack">
      {topics.map((t) => (
        <li key={t.label}>
          <strong>{t.label}</strong> — {t.count} questions{t.gap && <> <Badge tone="warn">Gap</Badge> {t.why.join("; ")}</>}
          {t.examples[0] && <div className="muted">e.g. “{t.examples[0]}”</div>}
          {t.gap && (
            <div>
              <Link to={`/staff/kb/draft/${encodeURIComponent(draftId(t.label))}`} state={{ gap: { label: t.label, examples: t.examples, why: t.why } satisfies GapSeed }}
                aria-label={`Draft a document for the gap “${t.label}”`}>Draft a document</Link>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

type Loaded<T> = { data: T } | { error: string } | null;

function useLoad<T>(load: () => Promise<{ data?: T; error?: unknown; response: Response }>): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>(null);
  useEffect(() => {
    let live = true;
    load()
      .then(({ data, error, response }) => {
        if (!live) return;
        setState(response.ok && data !== undefined ? { data } : { error: readProblem(error).message });
      })
      .catch(() => live && setState({ error: "The service cannot be reached. Check your connection and retry." }));
    return () => {
      live = false;
    };
  }, [load]);
  return state;
}

const loadKpis = () => api.GET("/v1/staff/kpis", { params: { query: { days: 30 } } });
const loadHealth = () => api.GET("/v1/staff/ops-health");
const loadTopics = () => api.GET("/v1/staff/query-topics", { params: { query: { limit: 2000 } } });

function Section<T>({ id, title, state, children }: { id: string; title: string; state: Loaded<T>; children: (data: T) => React.ReactNode }) {
  return (
    <section className="stack" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {state === null && <p role="status">Loading…</p>}
      {state && "error" in state && <Alert tone="bad">{state.error}</Alert>}
      {state && "data" in state && children(state.data)}
    </section>
  );
}

export default function Dashboard() {
  usePageTitle("Operations dashboard");
  const kpis = useLoad(loadKpis);
  const health = useLoad(loadHealth);
  const topics = useLoad(loadTopics);
  return (
    <section className="stack" aria-labelledby="ops-dash">
      <h2 id="ops-dash">Operations dashboard (last 30 days)</h2>
      <Section id="ops-kpis" title="Business KPIs" state={kpis}>
        {(k) => (
          <>
            <KpiTiles k={k} />
            <BarChart title="Applications submitted per day" data={Object.entries(k.daily_submissions).sort(([a], [b]) => a.localeCompare(b))} />
          </>
        )}
      </Section>
      <Section id="ops-funnel" title="Application funnels" state={kpis}>{(k) => <Funnels k={k} />}</Section>
      <Section id="ops-alarms" title="Alarms" state={health}>{(h) => <Alarms h={h} />}</Section>
      <Section id="ops-drift" title="Model drift" state={health}>{(h) => <Drift h={h} />}</Section>
      <Section id="ops-topics" title="Question topics and knowledge gaps" state={topics}>{(t) => <Topics topics={t} />}</Section>
    </section>
  );
}
