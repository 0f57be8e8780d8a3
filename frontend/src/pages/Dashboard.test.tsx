import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import { Dashboard } from "./Dashboard";

afterEach(() => vi.unstubAllGlobals());

const decision = {
  outcome: "declined", product: "car", amount: "45000", tenure_months: 36, risk_tier: "D", probability_of_default: 0.3,
  annual_rate_pct: "9.80", monthly_payment: "1447.51", dti_pct: "48.20", max_dti_pct: "35.00", required_documents: [],
  reasons: [
    { code: "DTI_ABOVE_MAX", message: "debts incl. the new $1,447.51 payment would take 48.20% of monthly income; the limit is 35.00%", field: "monthly_debt_payments", limit: "35.00", actual: "48.20" },
    { code: "RISK_TIER", message: "risk tier E (estimated probability of default 87.1%): declined", actual: "E" },
    ...["Credit score is too low for the amount requested", "Too many existing credit obligations", "Too many existing credit obligations",
      "Length of employment is too short", "Housing status indicates higher risk"].map((message) => ({ code: "MODEL_REASON", message })),
  ],
  versions: { policy_version: "p", policy_hash: "h", model_version: "m" },
};
const app = {
  application_id: "app_12345678", status: "declined", product: "car", amount: "45000", tenure_months: 36, decision,
  created_at: "2026-11-25T07:00:00Z", updated_at: "2026-11-25T07:00:00Z",
  history: [{ status: "received", at: "2026-11-25T07:00:00Z", by: "system", note: "" }, { status: "declined", at: "2026-11-25T07:00:01Z", by: "system", note: "declined" }],
};

it("shows a decline in plain words: at most four reasons, no tier, probability or rate", async () => {
  mockFetch({ "GET /v1/applications": { body: [app] }, "GET /v1/documents": { body: [] } });
  const { container } = render(<MemoryRouter><Dashboard /></MemoryRouter>);
  const heading = await screen.findByRole("heading", { name: "We cannot approve this application" });
  const reasons = heading.parentElement!.querySelectorAll("li");
  expect([...reasons].map((li) => li.textContent)).toEqual([
    "Your monthly debts with this loan would be 48.20% of your income; our limit is 35.00%",
    "Credit score is too low for the amount requested",
    "Too many existing credit obligations",
    "Length of employment is too short",
  ]);
  expect(container.textContent).not.toMatch(/tier|probability|87\.1|9\.80%/i);
  expect(screen.getByRole("link", { name: "Ask the advisor what to change" })).toBeInTheDocument();
  expect(screen.queryByRole("link", { name: "See your offers" })).not.toBeInTheDocument();
  expect(await axeViolations(container)).toEqual([]);
});

it("never shows model reasons to an approved applicant and states the rate", async () => {
  const approved = { ...app, status: "approved", decision: { ...decision, outcome: "approved", reasons: decision.reasons.slice(2) } };
  mockFetch({ "GET /v1/applications": { body: [approved] }, "GET /v1/documents": { body: [] } });
  const { container } = render(<MemoryRouter><Dashboard /></MemoryRouter>);
  expect(await screen.findByRole("heading", { name: "Your application is approved" })).toBeInTheDocument();
  expect(container.textContent).not.toMatch(/Housing status/);
  expect(screen.getByText("9.80%")).toBeInTheDocument();
});

it("uploads a document as multipart with its kind and application", async () => {
  const approved = { ...app, status: "approved", decision: { ...decision, outcome: "approved", reasons: [] } };
  const calls = mockFetch({
    "GET /v1/applications": { body: [approved] },
    "GET /v1/documents": { body: [] },
    "POST /v1/documents": { status: 201, body: { document_id: "doc_12345678", kind: "identity", filename: "id.pdf", content_type: "application/pdf", size_bytes: 10, application_id: app.application_id, status: "stored", created_at: "" } },
  });
  const user = userEvent.setup();
  render(<MemoryRouter><Dashboard /></MemoryRouter>);
  await screen.findByRole("link", { name: "See your offers" });
  await user.selectOptions(screen.getByLabelText("Document type"), "identity");
  await user.upload(screen.getByLabelText(/^File/), new File(["%PDF-1.4"], "id.pdf", { type: "application/pdf" }));
  await user.click(screen.getByRole("button", { name: "Upload" }));
  expect(await screen.findByText("id.pdf uploaded.")).toBeInTheDocument();
  const post = calls.find((c) => c.method === "POST")!;
  expect(post.body).toContain('name="kind"');
  expect(post.body).toContain("identity");
  expect(post.body).toContain(app.application_id);
});

it("shows the accepted offer's terms and history in words, without internal ids", async () => {
  const accepted = {
    ...app, status: "offer_accepted", decision: { ...decision, outcome: "approved", reasons: [] },
    history: [...app.history.slice(0, 1), { status: "offer_accepted", at: "2026-11-25T07:05:00Z", by: "applicant", note: "accepted ofr_abcdefgh1234" }],
  };
  const offer = {
    offer_id: "ofr_abcdefgh1234", status: "accepted", kind: "lower_payment", product: "car", amount: "45000", tenure_months: 60,
    annual_rate_pct: "7.57", apr_pct: "7.99", monthly_payment: "903.21", total_interest: "9192.60", fees: "450", total_repayment: "54192.60",
    total_cost: "9642.60", dti_pct: "20", late_fee: "25", risk_tier: "A", versions: decision.versions,
  };
  mockFetch({
    "GET /v1/applications": { body: [accepted] },
    "GET /v1/documents": { body: [] },
    "GET /v1/applications/app_12345678/offers": { body: { application_id: "app_12345678", decision: accepted.decision, offers: [offer], note: "" } },
  });
  const { container } = render(<MemoryRouter><Dashboard /></MemoryRouter>);
  expect(await screen.findByText("Offer accepted: $45,000 over 60 months at 7.57% —", { exact: false })).toBeInTheDocument();
  expect(screen.getByRole("heading", { name: "Your loan" })).toBeInTheDocument();
  expect(screen.getByText("$903.21")).toBeInTheDocument();
  expect(container.textContent).not.toMatch(/ofr_/);
  expect(await axeViolations(container)).toEqual([]);
});

it("shows a conditional approval's checklist: each document's state, why Accept waits, a link to Compare", async () => {
  const required = ["Government-issued photo ID", "Two recent pay slips"];
  const blocked = "Before you can accept, we need: Two recent pay slips.";
  const conditional = {
    ...app, status: "approved",
    decision: { ...decision, outcome: "conditionally_approved", reasons: [], required_documents: required },
    documents: [
      { name: required[0], provided: true, provided_at: "2026-11-25T07:03:00Z", document_id: null },
      { name: required[1], provided: false, provided_at: null, document_id: null },
    ],
    accept_blocked: blocked,
  };
  mockFetch({ "GET /v1/applications": { body: [conditional] }, "GET /v1/documents": { body: [] } });
  const { container } = render(<MemoryRouter><Dashboard /></MemoryRouter>);
  const heading = await screen.findByRole("heading", { name: "Documents we need" });
  const items = within(screen.getByRole("list", { name: "Documents we need" })).getAllByRole("listitem");
  expect(items.map((li) => li.textContent)).toEqual([`${required[0]}Provided`, `${required[1]}Still needed`]);
  expect(heading.parentElement).toHaveTextContent("1 of 2 still needed before you can accept");
  expect(screen.getByText(blocked)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Upload or mark your documents" })).toHaveAttribute("href", "/applications/app_12345678/compare");
  expect(await axeViolations(container)).toEqual([]);
});

it("says every document is in once they are, with no reason to wait and no link", async () => {
  const conditional = {
    ...app, status: "approved",
    decision: { ...decision, outcome: "conditionally_approved", reasons: [], required_documents: ["Government-issued photo ID"] },
    documents: [{ name: "Government-issued photo ID", provided: true, provided_at: "2026-11-25T07:03:00Z", document_id: null }],
    accept_blocked: null,
  };
  mockFetch({ "GET /v1/applications": { body: [conditional] }, "GET /v1/documents": { body: [] } });
  render(<MemoryRouter><Dashboard /></MemoryRouter>);
  expect(await screen.findByText("Thank you: every document is in.")).toBeInTheDocument();
  expect(screen.queryByText(/Before you can accept/)).toBeNull();
  expect(screen.queryByRole("link", { name: "Upload or mark your documents" })).toBeNull();
});

it("shows no checklist when nothing is asked for", async () => {
  mockFetch({ "GET /v1/applications": { body: [app] }, "GET /v1/documents": { body: [] } });
  render(<MemoryRouter><Dashboard /></MemoryRouter>);
  await screen.findByRole("heading", { name: "We cannot approve this application" });
  expect(screen.queryByRole("heading", { name: "Documents we need" })).toBeNull();
});
