// Staff A/B experiments: each experiment's status with start/stop/archive, and for running or
// stopped ones the analysis from GET /v1/experiments/{key}/results: per-arm rates with intervals,
// the difference from control with its interval, the sample-ratio check and the decision. The
// decision text is the API's (it never calls a winner below the minimum sample or with SRM).
import { useCallback, useEffect, useState } from "react";
import {
  createExperiment,
  experimentResults,
  listExperiments,
  transitionExperiment,
  type ExperimentAction,
  type ExperimentPublic,
  type ExperimentResult,
} from "../api/endpoints";
import { Alert, Badge } from "../design/components";

const pct = (v: number | null | undefined) => (v == null ? "–" : `${(v * 100).toFixed(1)}%`);
const pts = (v: number | null | undefined) => (v == null ? "–" : `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} pts`);

/** "+3.1 pts [−0.4, +6.6]" for a treatment arm, "control" for the control arm. */
export function liftText(arm: ExperimentResult["metrics"][number]["arms"][number]): string {
  if (arm.difference == null) return "control";
  return `${pts(arm.difference)} [${pts(arm.diff_ci_low)}, ${pts(arm.diff_ci_high)}]`;
}

const NEXT: Record<string, ExperimentAction[]> = { draft: ["start", "archive"], running: ["stop"], stopped: ["archive"] };
const VERDICT_TONE: Record<string, "ok" | "warn" | "bad" | "info"> = {
  ship: "ok", keep_control: "info", no_difference: "info", keep_running: "warn", stop_guardrail: "bad", srm: "bad",
};

function Result({ result }: { result: ExperimentResult }) {
  return (
    <div className="stack">
      {result.srm_warning && (
        <Alert tone="bad">
          Sample ratio mismatch (p = {result.srm_p_value.toPrecision(2)}): exposures {JSON.stringify(result.exposures)} do not match the
          weights; do not trust these figures until assignment or exposure logging is fixed.
        </Alert>
      )}
      <p>
        Decision: <Badge tone={VERDICT_TONE[result.decision.verdict] ?? "info"}>{result.decision.verdict.replace(/_/g, " ")}</Badge>{" "}
        {result.decision.reason}
      </p>
      {result.metrics.map((m) => (
        <table key={m.metric}>
          <caption>{`${m.metric} (${m.role})`}</caption>
          <thead>
            <tr><th scope="col">Arm</th><th scope="col">Users</th><th scope="col">Rate [CI]</th><th scope="col">Lift vs control [CI]</th><th scope="col">p</th><th scope="col">Chance to beat control</th></tr>
          </thead>
          <tbody>
            {m.arms.map((a) => (
              <tr key={a.arm}>
                <th scope="row">{a.arm}</th>
                <td>{a.users}</td>
                <td>{`${pct(a.mean)} [${pct(a.ci_low)}, ${pct(a.ci_high)}]`}</td>
                <td>{liftText(a)}</td>
                <td>{a.p_value == null ? "–" : a.p_value.toPrecision(2)}</td>
                <td>{pct(a.chance_to_beat_control)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}

export default function ExperimentResults() {
  const [items, setItems] = useState<ExperimentPublic[] | null>(null);
  const [results, setResults] = useState<Record<string, ExperimentResult>>({});
  const [error, setError] = useState<string | null>(null);
  const [yaml, setYaml] = useState("");
  const load = useCallback(async () => {
    const r = await listExperiments();
    if (!r.ok) return setError(r.message);
    setItems(r.data);
    const found: Record<string, ExperimentResult> = {};
    for (const e of r.data.filter((x) => x.definition.status !== "draft")) {
      const res = await experimentResults(e.definition.key, e.definition.version);
      if (res.ok) found[e.experiment_id] = res.data;
    }
    setResults(found);
  }, []);
  useEffect(() => void load(), [load]);
  const act = async (e: ExperimentPublic, action: ExperimentAction) => {
    const r = await transitionExperiment(e.definition.key, e.definition.version, action);
    if (r.ok) { setError(null); await load(); } else setError(r.message);
  };
  const create = async () => {
    const r = await createExperiment(yaml);
    if (r.ok) { setError(null); setYaml(""); await load(); } else setError(r.message);
  };
  return (
    <section className="stack" aria-labelledby="ab">
      <h3 id="ab">A/B experiments</h3>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {!items && !error && <p role="status">Loading experiments…</p>}
      {items && items.length === 0 && <p>No experiments defined yet.</p>}
      {items?.map((e) => (
        <article key={e.experiment_id} className="card stack" aria-label={e.experiment_id}>
          <h4>{e.experiment_id} <Badge tone={e.definition.status === "running" ? "ok" : "info"}>{e.definition.status}</Badge></h4>
          <p className="muted">{e.definition.surface}: {e.definition.arms.map((a) => `${a.name} (${a.weight})`).join(", ")}</p>
          <div>
            {(NEXT[e.definition.status] ?? []).map((action) => (
              <button key={action} type="button" onClick={() => void act(e, action)}>{`${action[0]!.toUpperCase()}${action.slice(1)} ${e.experiment_id}`}</button>
            ))}
          </div>
          {results[e.experiment_id] && <Result result={results[e.experiment_id]!} />}
        </article>
      ))}
      <label htmlFor="exp-yaml">New experiment version (YAML)</label>
      <textarea id="exp-yaml" rows={8} value={yaml} onChange={(ev) => setYaml(ev.target.value)} />
      <button type="button" onClick={() => void create()} disabled={!yaml.trim()}>Save as draft</button>
    </section>
  );
}
