// Staff experiment results: per experiment, each arm's exposures from GET /v1/staff/experiments —
// prompt variants (chat turns and threads) and UI experiments (assignment reads and users) — as
// charts with a table for screen readers. That endpoint reports exposures only; the statistics (which
// arm wins) are ExperimentResults', from the experiments API.
import { useEffect, useState } from "react";
import { staffExperiments, type ExperimentsView } from "../api/endpoints";
import { Alert } from "../design/components";
import { usePageTitle } from "../pages/usePageTitle";
import { GroupedBarChart, type ChartRow } from "./charts";
import ExperimentResults from "./ExperimentResults";

/** UI experiment ids as people say them (unknown ids are shown as they are). */
const UI_NAMES: Record<string, string> = { chat_layout: "Chat layout", offer_presentation: "Offer presentation" };
/** "chat_layout/v1" → "Chat layout (v1)". */
export function uiName(id: string): string {
  const [base = id, version] = id.split("/");
  const name = UI_NAMES[base] ?? base.replace(/_/g, " ");
  return version ? `${name} (${version})` : name;
}

export type ExperimentChart = { id: string; title: string; measures: string[]; rows: ChartRow[] };

/** Turn the endpoint's flat arm lists into one chart per experiment. */
export function experimentCharts(view: ExperimentsView): ExperimentChart[] {
  const charts: ExperimentChart[] = [];
  if (view.arms.length > 0) {
    charts.push({
      id: "prompt",
      title: "Advisor prompt variants: chat turns and threads per arm",
      measures: ["Turns", "Threads"],
      rows: view.arms.map((a) => ({ label: a.prompt ? `${a.variant} (${a.prompt})` : a.variant, values: [a.turns, a.threads] })),
    });
  }
  const byExperiment = new Map<string, ChartRow[]>();
  for (const a of view.ui_arms ?? []) {
    const rows = byExperiment.get(a.experiment_id) ?? [];
    rows.push({ label: a.variant, values: [a.exposures, a.users] });
    byExperiment.set(a.experiment_id, rows);
  }
  for (const [id, rows] of byExperiment) {
    charts.push({ id: `ui-${id}`, title: `${uiName(id)}: exposures and users per arm`, measures: ["Exposures", "Users"], rows });
  }
  return charts;
}

export default function Experiments() {
  usePageTitle("Experiment results");
  const [view, setView] = useState<ExperimentsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void staffExperiments().then((r) => (r.ok ? setView(r.data) : setError(r.message))), []);
  const charts = view ? experimentCharts(view) : [];
  return (
    <section className="stack" aria-labelledby="exp">
      <h2 id="exp">Experiment results</h2>
      <ExperimentResults />
      <h3>Recent exposures</h3>
      <p className="muted">
        Exposures per arm from the most recent events: these counts show that every arm is being served and to how
        many people. The statistics are in the A/B experiments above.
      </p>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {!view && !error && <p role="status">Loading experiment results…</p>}
      {view && (
        <>
          <p>{view.window_events} recent prompt-variant exposure events read.</p>
          {charts.length === 0 ? (
            <p>No exposures recorded yet.</p>
          ) : (
            <div className="grid">
              {charts.map((c) => <GroupedBarChart key={c.id} title={c.title} measures={c.measures} rows={c.rows} />)}
            </div>
          )}
        </>
      )}
    </section>
  );
}
