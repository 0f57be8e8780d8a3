import { render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import Dashboard from "./Dashboard";

afterEach(() => vi.unstubAllGlobals());

const kpis = {
  since: null, applications: 12, by_status: { approved: 6, declined: 3 }, submissions_per_day: 4,
  approval_rate: 0.5, decline_rate: 0.25, referral_rate: 0.25, time_to_decision_p50_s: 2.5,
  time_to_decision_p95_s: 600, offer_acceptance_rate: 0.4, negotiation_rate: 0.1, negotiation_met_rate: null,
  mean_concession_pct: null,
  feedback: { ratings: 2, mean_rating: 4.5, thumbs_up: 3, thumbs_down: 1, thumbs_down_share: 0.25 },
  funnels: [{
    channel: "form", conversion: 0.5,
    steps: [{ step: "about_you", sessions: 4, drop_off: null }, { step: "work_income", sessions: 2, drop_off: 0.5 }],
  }],
  daily_submissions: { "2026-12-02": 7, "2026-12-01": 5 },
};
const health = {
  alarms: [
    { rule: "http_5xx_rate", value: 0.001, threshold: 0.05, firing: false },
    { rule: "drift_psi", value: 0.4, threshold: 0.25, firing: true },
  ],
  drift: {
    level: "act", watch: 0.1, act: 0.25,
    features: [{ feature: "annual_income", kind: "numeric", psi: 0.4, level: "act", n_reference: 100, n_recent: 50 }],
  },
};
const topics = [{ label: "early repayment fee", count: 9, examples: ["can I repay early?"], mean_confidence: 0.2, thumbs_down_share: 0.5, gap: true, why: ["low retrieval confidence"] }];

it("lays out KPIs, funnel drop-off, alarms, drift and gaps from the API, without axe violations", async () => {
  const calls = mockFetch({
    "GET /v1/staff/kpis": { body: kpis },
    "GET /v1/staff/ops-health": { body: health },
    "GET /v1/staff/query-topics": { body: topics },
  });
  const { container } = render(<MemoryRouter><Dashboard /></MemoryRouter>);
  expect(await screen.findByText("50.0%", { selector: "div" })).toBeInTheDocument(); // approval rate tile
  expect(screen.getByText("10.0 min")).toBeInTheDocument(); // p95 time to decision
  expect(await screen.findByText(/Drop-off: work income 50.0%/)).toBeInTheDocument();
  const alarms = await screen.findByRole("table", { name: /Alarm rules/ });
  const row = within(alarms).getByRole("row", { name: /drift psi/ });
  expect(within(row).getByText("Firing")).toBeInTheDocument();
  expect(screen.getByText(/annual_income \(act\)/, { selector: "span" })).toBeInTheDocument();
  expect(await screen.findByText("early repayment fee")).toBeInTheDocument();
  expect(screen.getByText(/low retrieval confidence/)).toBeInTheDocument();
  const draft = screen.getByRole("link", { name: "Draft a document for the gap “early repayment fee”" });
  expect(draft).toHaveAttribute("href", "/staff/kb/draft/early-repayment-fee");
  // the days are charted in date order
  const days = screen.getByRole("table", { name: "Applications submitted per day" });
  expect(within(days).getAllByRole("rowheader").map((c) => c.textContent)).toEqual(["2026-12-01", "2026-12-02"]);
  expect(calls.find((c) => c.path === "/v1/staff/kpis")).toBeDefined();
  expect(await axeViolations(container)).toEqual([]);
}, 30_000); // axe over the whole page is slow on a busy machine

it("says what failed, section by section", async () => {
  mockFetch({
    "GET /v1/staff/kpis": { body: kpis },
    "GET /v1/staff/ops-health": { body: { ...health, drift: null } },
    "GET /v1/staff/query-topics": { status: 503, body: { title: "Unavailable", detail: "the knowledge base is not available for query analytics" } },
  });
  render(<MemoryRouter><Dashboard /></MemoryRouter>);
  expect(await screen.findByText(/knowledge base is not available/)).toBeInTheDocument();
  expect(await screen.findByText(/No drift report yet/)).toBeInTheDocument();
});
