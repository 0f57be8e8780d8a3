// Staff eval runs: every run with its pass rates, a run's full report (the harness's own
// report.html, sandboxed), two runs compared case by case, and a new run of chosen suites
// against a chosen prompt variant, started in the background with its progress shown.
import { useCallback, useEffect, useState } from "react";
import { Alert, Badge, SelectField } from "../design/components";
import { usePageTitle } from "../pages/usePageTitle";
import { EvalCompare, pct } from "./EvalCompare";
import {
  compareEvalRuns, evalChoices, evalJob, evalReportHtml, listEvalRuns, startEvalRun,
  type EvalChoices, type EvalComparison, type EvalJob, type EvalRun,
} from "./EvalApi";

/** "7/18 (38.9%)" for a suite or a run. */
export function rateText(passed: number, total: number, rate: number | null | undefined): string {
  return total ? `${passed}/${total} (${pct(rate)})` : "no cases yet";
}

function RunsTable({ runs, onOpen }: { runs: EvalRun[]; onOpen: (runId: string) => void }) {
  const suites = [...new Set(runs.flatMap((r) => Object.keys(r.suites ?? {})))].sort();
  return (
    <div className="table-scroll">
      <table>
        <caption>Eval runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Run</th><th scope="col">Variant</th><th scope="col">Status</th><th scope="col">Overall</th>
            {suites.map((s) => <th scope="col" key={s}>{s.replace(/_/g, " ")}</th>)}
            <th scope="col"><span className="visually-hidden">Report</span></th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.run_id}>
              <th scope="row"><code>{r.run_id}</code></th>
              <td>{r.prompt_variant ?? "assigned"}</td>
              <td><Badge tone={r.complete ? "ok" : "warn"}>{r.complete ? "complete" : "partial"}</Badge></td>
              <td>{rateText(r.passed ?? 0, r.total ?? 0, r.rate)}</td>
              {suites.map((s) => {
                const x = r.suites?.[s];
                return <td key={s}>{x ? rateText(x.passed, x.total, x.rate) : "–"}</td>;
              })}
              <td><button type="button" className="btn link" aria-label={`Open report of ${r.run_id}`} onClick={() => onOpen(r.run_id)}>Open report</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StartRun({ choices, pollMs, onFinished }: { choices: EvalChoices; pollMs: number; onFinished: () => void }) {
  const [suites, setSuites] = useState<string[]>([]);
  const [variant, setVariant] = useState("");
  const [job, setJob] = useState<EvalJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = job !== null && (job.state === "queued" || job.state === "running");
  useEffect(() => {
    if (!job || !running) return;
    const timer = setTimeout(async () => {
      const r = await evalJob(job.job_id);
      if (!r.ok) return setError(r.message);
      setJob(r.data);
      if (r.data.state === "done" || r.data.state === "failed") onFinished();
    }, pollMs);
    return () => clearTimeout(timer);
  }, [job, running, pollMs, onFinished]);
  const toggle = (name: string) => setSuites(suites.includes(name) ? suites.filter((s) => s !== name) : [...suites, name]);
  const start = async () => {
    setError(null);
    const r = await startEvalRun({ suites, prompt_variant: variant || null, repeats: 1 });
    if (r.ok) setJob(r.data);
    else setError(r.message);
  };
  return (
    <section className="card stack" aria-labelledby="ev-start">
      <h3 id="ev-start">Start a run</h3>
      <fieldset>
        <legend>Suites</legend>
        {choices.suites.map((s) => (
          <label key={s.name} className="row">
            <input type="checkbox" checked={suites.includes(s.name)} onChange={() => toggle(s.name)} /> {s.name.replace(/_/g, " ")} (v{s.version}, {s.cases} cases)
          </label>
        ))}
      </fieldset>
      <SelectField label="Prompt variant" value={variant} onChange={(e) => setVariant(e.target.value)}
        options={[{ value: "", label: "As assigned per conversation" }, ...choices.prompt_variants.map((v) => ({ value: v, label: `Variant ${v}` }))]} />
      <div className="row">
        <button type="button" className="btn" disabled={suites.length === 0 || running} onClick={() => void start()}>Start run</button>
      </div>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {job && (
        <div className="stack" role="status">
          <p>Run {job.run_id}: {job.state}; {job.done} of {job.total} cases finished, {job.passed} passed.</p>
          <progress max={job.total || 1} value={job.done} aria-label={`Progress of run ${job.run_id}`} />
          {job.error && <Alert tone="bad">{job.error}</Alert>}
        </div>
      )}
    </section>
  );
}

export default function EvalRuns({ pollMs = 1000 }: { pollMs?: number }) {
  usePageTitle("Eval runs");
  const [runs, setRuns] = useState<EvalRun[] | null>(null);
  const [choices, setChoices] = useState<EvalChoices | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<{ runId: string; html: string } | null>(null);
  const [pair, setPair] = useState({ baseline: "", candidate: "" });
  const [comparison, setComparison] = useState<EvalComparison | null>(null);
  const load = useCallback(() => void listEvalRuns().then((r) => (r.ok ? setRuns(r.data) : setError(r.message))), []);
  useEffect(() => {
    load();
    void evalChoices().then((r) => (r.ok ? setChoices(r.data) : setError(r.message)));
  }, [load]);
  const open = async (runId: string) => {
    const r = await evalReportHtml(runId);
    if (r.ok) setReport({ runId, html: r.data });
    else setError(r.message);
  };
  const compare = async () => {
    const r = await compareEvalRuns(pair.baseline, pair.candidate);
    if (r.ok) setComparison(r.data);
    else setError(r.message);
  };
  const ids = (runs ?? []).map((r) => r.run_id);
  return (
    <section className="stack" aria-labelledby="ev">
      <h2 id="ev">Eval runs</h2>
      <p className="muted">Simulated applicants talk to the advisor through the real API; each run checks every conversation. Runs started here and by <code>loan-advisor eval run</code> are listed alike.</p>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {choices && <StartRun choices={choices} pollMs={pollMs} onFinished={load} />}
      {!runs && !error && <p role="status">Loading eval runs…</p>}
      {runs?.length === 0 && <p>No eval runs yet.</p>}
      {runs && runs.length > 0 && <RunsTable runs={runs} onOpen={(id) => void open(id)} />}
      {runs && runs.length > 1 && (
        <section className="card stack" aria-labelledby="ev-cmp">
          <h3 id="ev-cmp">Compare two runs</h3>
          <div className="row">
            <SelectField label="Baseline run" value={pair.baseline} onChange={(e) => setPair({ ...pair, baseline: e.target.value })} options={["", ...ids]} />
            <SelectField label="Candidate run" value={pair.candidate} onChange={(e) => setPair({ ...pair, candidate: e.target.value })} options={["", ...ids]} />
          </div>
          <div className="row">
            <button type="button" className="btn" disabled={!pair.baseline || !pair.candidate || pair.baseline === pair.candidate} onClick={() => void compare()}>Compare</button>
          </div>
          {comparison && <EvalCompare comparison={comparison} />}
        </section>
      )}
      {report && (
        <section className="stack" aria-labelledby="ev-report">
          <h3 id="ev-report">Report of <code>{report.runId}</code></h3>
          <iframe title={`Eval report ${report.runId}`} srcDoc={report.html} sandbox="" style={{ width: "100%", height: "70vh", border: 0 }} />
        </section>
      )}
    </section>
  );
}
