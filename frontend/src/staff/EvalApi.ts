// Staff eval runs: the calls the eval page makes, through the generated client (paths and shapes
// from the API's OpenAPI schema). Reports and comparisons are the harness's own JSON; the few
// fields the page reads are typed here.
import { api, type Schemas } from "../api/client";
import { call as callApi, type Result } from "../api/endpoints";

export type EvalRun = Schemas["EvalRunSummary"];
export type EvalJob = Schemas["EvalJobPublic"];
export type EvalChoices = Schemas["EvalChoices"];
export type EvalStart = Schemas["EvalStart"];

/** One side-by-side figure of `eval compare`: pass rates, the exact McNemar p, flipped cases. */
export type PairedStats = {
  cases: number;
  before: number | null;
  after: number | null;
  broke: string[];
  fixed: string[];
  mcnemar_p: number;
  diff_ci95: [number, number] | number[];
};
export type EvalComparison = {
  baseline: string;
  candidate: string;
  overall: PairedStats;
  suites: Record<string, PairedStats>;
  evaluator_regressions: Record<string, string[]>;
  only_in_baseline: string[];
  only_in_candidate: string[];
};

// One owner of the fetch-error wording: the shared helper in api/endpoints.ts, typed here.
function call<T>(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Result<T>> {
  return callApi(p) as Promise<Result<T>>;
}

const runPath = (runId: string) => ({ params: { path: { run_id: runId } } });

export const evalChoices = () => call<EvalChoices>(api.GET("/v1/staff/evals/choices"));
export const listEvalRuns = () => call<EvalRun[]>(api.GET("/v1/staff/evals/runs"));
export const evalReportHtml = (runId: string) =>
  call<string>(api.GET("/v1/staff/evals/runs/{run_id}/report.html", { ...runPath(runId), parseAs: "text" }));
export const compareEvalRuns = (baseline: string, candidate: string) =>
  call<EvalComparison>(api.GET("/v1/staff/evals/compare", { params: { query: { baseline, candidate } } }));
export const startEvalRun = (body: EvalStart) => call<EvalJob>(api.POST("/v1/staff/evals/jobs", { body }));
export const evalJob = (jobId: string) =>
  call<EvalJob>(api.GET("/v1/staff/evals/jobs/{job_id}", { params: { path: { job_id: jobId } } }));
