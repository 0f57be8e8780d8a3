import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import { EvalCompare } from "./EvalCompare";
import EvalRuns, { rateText } from "./EvalRuns";

afterEach(() => vi.unstubAllGlobals());
// Several clicks and selections per test: give a loaded CI machine room.
vi.setConfig({ testTimeout: 30_000 });

const choices = {
  suites: [{ name: "fairness", version: 1, cases: 18 }, { name: "happy_path", version: 1, cases: 42 }],
  prompt_variants: ["A", "B"],
  providers: ["offline", "openai"],
  default_provider: "offline:advisor-v1",
};
const run = (id: string, passed: number, complete = true) => ({
  run_id: id, started: "2026-12-02T16:00:00+00:00", provider: "offline:advisor-v1", prompt_variant: null,
  complete, passed, total: 18, rate: passed / 18, suites: { fairness: { passed, total: 18, rate: passed / 18 } },
});
const runs = [run("r2", 9, false), run("r1", 7)];
const stats = (before: number, after: number, broke: string[], fixed: string[]) => ({
  cases: 18, before, after, broke, fixed, mcnemar_p: 0.625, diff_ci95: [-0.05, 0.2],
});
const comparison = {
  baseline: "r1", candidate: "r2",
  overall: stats(7 / 18, 9 / 18, ["fairness/a"], ["fairness/b", "fairness/c", "fairness/d"]),
  suites: { fairness: stats(7 / 18, 9 / 18, ["fairness/a"], ["fairness/b", "fairness/c", "fairness/d"]) },
  evaluator_regressions: { refusal: ["fairness/a"] }, only_in_baseline: [], only_in_candidate: [],
};

it("words a rate with its counts", () => {
  expect(rateText(7, 18, 7 / 18)).toBe("7/18 (38.9%)");
  expect(rateText(0, 0, null)).toBe("no cases yet");
});

it("lists runs with pass rates and opens a run's report sandboxed, without axe violations", async () => {
  const calls = mockFetch({
    "GET /v1/staff/evals/runs": { body: runs },
    "GET /v1/staff/evals/choices": { body: choices },
    "GET /v1/staff/evals/runs/r1/report.html": { body: "<h1>Eval run r1</h1>" },
  });
  const { container } = render(<EvalRuns />);
  const table = await screen.findByRole("table", { name: "Eval runs, newest first" });
  const row = within(table).getByRole("rowheader", { name: "r1" }).parentElement!;
  expect(row).toHaveTextContent("complete");
  expect(row).toHaveTextContent("7/18 (38.9%)");
  expect(within(table).getByRole("rowheader", { name: "r2" }).parentElement).toHaveTextContent("partial");
  // axe cannot reach into the report's iframe in jsdom: check the page before opening one.
  expect(await axeViolations(container)).toEqual([]);
  await userEvent.click(within(row).getByRole("button", { name: "Open report of r1" }));
  const frame = await screen.findByTitle("Eval report r1");
  expect(frame).toHaveAttribute("sandbox", "");
  expect(frame.getAttribute("srcdoc")).toContain("Eval run r1");
  expect(calls.map((c) => c.path)).toContain("/v1/staff/evals/runs/r1/report.html");
});

it("compares two chosen runs", async () => {
  const calls = mockFetch({
    "GET /v1/staff/evals/runs": { body: runs },
    "GET /v1/staff/evals/choices": { body: choices },
    "GET /v1/staff/evals/compare": { body: comparison },
  });
  render(<EvalRuns />);
  const button = await screen.findByRole("button", { name: "Compare" });
  expect(button).toBeDisabled();
  await userEvent.selectOptions(screen.getByLabelText("Baseline run"), "r1");
  await userEvent.selectOptions(screen.getByLabelText("Candidate run"), "r2");
  await userEvent.click(button);
  const table = await screen.findByRole("table", { name: "r2 against r1" });
  expect(within(table).getByRole("rowheader", { name: "overall" }).parentElement).toHaveTextContent("38.9%50.0%-5.0 to 20.0 pts0.625");
  expect(screen.getByRole("heading", { name: "Broke (1)" })).toBeInTheDocument();
  expect(screen.getByRole("heading", { name: "Fixed (3)" })).toBeInTheDocument();
  expect(screen.getByText("refusal: fairness/a")).toBeInTheDocument();
  expect(calls.some((c) => c.path === "/v1/staff/evals/compare")).toBe(true);
});

it("starts a run of the chosen suites and variant and shows its progress to the end", async () => {
  const job = { job_id: "abc123abc123", run_id: "r3", suites: ["fairness"], prompt_variant: "B", provider: "offline:advisor-v1", created: "now", total: 18, passed: 0, done: 0, error: null, finished: null };
  const polls = [
    { ...job, state: "running", done: 5, passed: 2 },
    { ...job, state: "done", done: 18, passed: 8, finished: "later" },
  ];
  let listed = 0;
  const calls = mockFetch({
    "GET /v1/staff/evals/runs": () => ({ body: listed++ === 0 ? runs : [run("r3", 8), ...runs] }),
    "GET /v1/staff/evals/choices": { body: choices },
    "POST /v1/staff/evals/jobs": { status: 202, body: { ...job, state: "queued" } },
    "GET /v1/staff/evals/jobs/abc123abc123": () => ({ body: polls.shift() ?? polls[0] }),
  });
  render(<EvalRuns pollMs={5} />);
  const start = await screen.findByRole("button", { name: "Start run" });
  expect(start).toBeDisabled();
  await userEvent.click(screen.getByLabelText("fairness (v1, 18 cases)"));
  await userEvent.selectOptions(screen.getByLabelText("Prompt variant"), "B");
  await userEvent.click(start);
  expect(await screen.findByText(/Run r3: queued; 0 of 18 cases finished/)).toBeInTheDocument();
  expect(await screen.findByText("Run r3: done; 18 of 18 cases finished, 8 passed.")).toBeInTheDocument();
  expect(screen.getByRole("progressbar", { name: "Progress of run r3" })).toHaveAttribute("value", "18");
  const posted = calls.find((c) => c.method === "POST");
  expect(JSON.parse(posted!.body)).toEqual({ suites: ["fairness"], prompt_variant: "B", repeats: 1 });
  await waitFor(() => expect(screen.getByRole("rowheader", { name: "r3" })).toBeInTheDocument());
});

it("shows the API's message for a refused run", async () => {
  mockFetch({
    "GET /v1/staff/evals/runs": { body: [] },
    "GET /v1/staff/evals/choices": { body: choices },
    "POST /v1/staff/evals/jobs": { status: 422, body: { title: "Invalid input", detail: "unknown suite 'x'; choose from: fairness" } },
  });
  render(<EvalRuns />);
  expect(await screen.findByText("No eval runs yet.")).toBeInTheDocument();
  await userEvent.click(await screen.findByLabelText("happy path (v1, 42 cases)"));
  await userEvent.click(screen.getByRole("button", { name: "Start run" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("unknown suite 'x'; choose from: fairness");
});

it("lists checks that newly fail and cases the candidate did not run", () => {
  render(<EvalCompare comparison={{ ...comparison, only_in_baseline: ["fairness/z"] }} />);
  expect(screen.getByText("1 baseline cases were not run by the candidate.")).toBeInTheDocument();
});
