// Two eval runs compared case by case: pass rates before and after, the exact McNemar p on the
// cases that flipped, the bootstrap interval on the difference, and which cases broke or got fixed.
import type { EvalComparison, PairedStats } from "./EvalApi";

export const pct = (v: number | null | undefined) => (v == null ? "–" : `${(v * 100).toFixed(1)}%`);

function ciText(ci: number[]): string {
  const [lo, hi] = ci;
  return lo == null || hi == null ? "–" : `${(lo * 100).toFixed(1)} to ${(hi * 100).toFixed(1)} pts`;
}

function Cases({ title, cases }: { title: string; cases: string[] }) {
  return (
    <div>
      <h4>{title} ({cases.length})</h4>
      {cases.length === 0 ? <p>None.</p> : <ul>{cases.map((c) => <li key={c}><code>{c}</code></li>)}</ul>}
    </div>
  );
}

export function EvalCompare({ comparison: c }: { comparison: EvalComparison }) {
  const rows: [string, PairedStats][] = [["overall", c.overall], ...Object.entries(c.suites)];
  const regressions = Object.entries(c.evaluator_regressions ?? {});
  return (
    <div className="stack">
      <div className="table-scroll">
        <table>
          <caption>{c.candidate} against {c.baseline}</caption>
          <thead>
            <tr><th scope="col">Suite</th><th scope="col">Cases</th><th scope="col">Baseline</th><th scope="col">Candidate</th><th scope="col">Difference (95% CI)</th><th scope="col">McNemar p</th></tr>
          </thead>
          <tbody>
            {rows.map(([name, s]) => (
              <tr key={name}>
                <th scope="row">{name.replace(/_/g, " ")}</th>
                <td>{s.cases}</td><td>{pct(s.before)}</td><td>{pct(s.after)}</td><td>{ciText(s.diff_ci95)}</td><td>{s.mcnemar_p.toPrecision(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Cases title="Broke" cases={c.overall.broke} />
      <Cases title="Fixed" cases={c.overall.fixed} />
      {regressions.length > 0 && (
        <div>
          <h4>Checks that newly fail</h4>
          <ul>{regressions.map(([e, cases]) => <li key={e}>{e}: {cases.join(", ")}</li>)}</ul>
        </div>
      )}
      {c.only_in_baseline.length > 0 && <p>{c.only_in_baseline.length} baseline cases were not run by the candidate.</p>}
    </div>
  );
}
