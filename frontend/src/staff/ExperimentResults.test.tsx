import { fireEvent, render, screen, within } from "@testing-library/react";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import ExperimentResults, { liftText } from "./ExperimentResults";

afterEach(() => vi.unstubAllGlobals());

const definition = (status: string, version = 1) => ({
  experiment_id: `prompt_style/v${version}`,
  definition: {
    key: "prompt_style", version, surface: "prompt", status,
    arms: [{ name: "A", weight: 50, config: {} }, { name: "B", weight: 50, config: {} }],
    primary_metric: { name: "offer_viewed", event: "offer_viewed", kind: "binomial", direction: "increase" },
  },
});
const arm = (name: string, mean: number, extra: Record<string, unknown> = {}) => ({
  arm: name, users: 150, mean, ci_low: mean - 0.07, ci_high: mean + 0.07, difference: null, diff_ci_low: null,
  diff_ci_high: null, p_value: null, chance_to_beat_control: null, significant: false, ...extra,
});
const result = (srm: boolean) => ({
  experiment_id: "prompt_style/v1", control: "A", engine: "fixed_horizon", alpha: 0.05,
  exposures: { A: 145, B: 155 }, srm_p_value: srm ? 0.0001 : 0.56, srm_warning: srm, min_sample_per_arm: 100,
  metrics: [{
    metric: "offer_viewed", role: "primary", kind: "binomial", direction: "increase",
    arms: [arm("A", 0.366), arm("B", 0.484, { difference: 0.118, diff_ci_low: 0.007, diff_ci_high: 0.229, p_value: 0.038, chance_to_beat_control: 0.98, significant: true })],
  }],
  decision: srm
    ? { verdict: "srm", winner: null, reason: "sample ratio mismatch" }
    : { verdict: "ship", winner: "B", reason: "B beats A on offer_viewed by +0.1184 (p=0.038)" },
  notes: [],
});

it("formats the lift with its interval in points", () => {
  expect(liftText(result(false).metrics[0]!.arms[1]! as never)).toBe("+11.8 pts [+0.7 pts, +22.9 pts]");
  expect(liftText(result(false).metrics[0]!.arms[0]! as never)).toBe("control");
});

it("shows arms, lift with CI and the decision, without axe violations", async () => {
  mockFetch({
    "GET /v1/experiments": { body: [definition("running")] },
    "GET /v1/experiments/prompt_style/results": { body: result(false) },
  });
  const { container } = render(<ExperimentResults />);
  const table = await screen.findByRole("table", { name: "offer_viewed (primary)" });
  const b = within(table).getByRole("rowheader", { name: "B" }).parentElement!;
  expect(b).toHaveTextContent("48.4% [41.4%, 55.4%]");
  expect(b).toHaveTextContent("+11.8 pts [+0.7 pts, +22.9 pts]");
  expect(screen.getByText(/B beats A on offer_viewed/)).toBeInTheDocument();
  expect(screen.getByText("ship")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Stop prompt_style/v1" })).toBeInTheDocument();
  expect(screen.queryByRole("alert")).toBeNull();
  expect(await axeViolations(container)).toEqual([]);
});

it("warns about a sample ratio mismatch", async () => {
  mockFetch({
    "GET /v1/experiments": { body: [definition("running")] },
    "GET /v1/experiments/prompt_style/results": { body: result(true) },
  });
  render(<ExperimentResults />);
  expect(await screen.findByText(/Sample ratio mismatch/)).toBeInTheDocument();
  expect(screen.getByText("srm")).toBeInTheDocument();
});

it("starts a draft and shows a refused change as the API's message", async () => {
  let status = "draft";
  const calls = mockFetch({
    "GET /v1/experiments": () => ({ body: [definition(status)] }),
    "GET /v1/experiments/prompt_style/results": { body: result(false) },
    "POST /v1/experiments/prompt_style/versions/1/start": () => { status = "running"; return { body: definition("running") }; },
    "POST /v1/experiments": { status: 409, body: { title: "Conflict", detail: "prompt_style/v1 is running: save the change as a new version" } },
  });
  render(<ExperimentResults />);
  fireEvent.click(await screen.findByRole("button", { name: "Start prompt_style/v1" }));
  expect(await screen.findByRole("button", { name: "Stop prompt_style/v1" })).toBeInTheDocument();
  fireEvent.change(screen.getByLabelText("New experiment version (YAML)"), { target: { value: "key: prompt_style" } });
  fireEvent.click(screen.getByRole("button", { name: "Save as draft" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("save the change as a new version");
  expect(calls.some((c) => c.method === "POST" && c.path === "/v1/experiments/prompt_style/versions/1/start")).toBe(true);
});
