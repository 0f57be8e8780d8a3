import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { mockFetch } from "../test/fetchMock";
import { Dashboard } from "./Dashboard";

afterEach(() => vi.unstubAllGlobals());

const decision = {
  outcome: "declined", product: "car", amount: "45000", tenure_months: 36, risk_tier: "D", probability_of_default: 0.3,
  annual_rate_pct: "9.80", monthly_payment: "1447.51", dti_pct: "48.20", max_dti_pct: "35.00", required_documents: [],
  reasons: [{ code: "dti_too_high", message: "Your debts would take 48.20% of your income; the limit is 35.00%." }],
  versions: { policy_version: "p", policy_hash: "h", model_version: "m" },
};
const app = {
  application_id: "app_12345678", status: "declined", product: "car", amount: "45000", tenure_months: 36, decision,
  created_at: "2026-11-25T07:00:00Z", updated_at: "2026-11-25T07:00:00Z",
  history: [{ status: "received", at: "2026-11-25T07:00:00Z", by: "system", note: "" }, { status: "declined", at: "2026-11-25T07:00:01Z", by: "system", note: "declined" }],
};

it("shows the status, the decision's reasons and what to do next", async () => {
  mockFetch({ "GET /v1/applications": { body: [app] }, "GET /v1/documents": { body: [] } });
  render(<MemoryRouter><Dashboard /></MemoryRouter>);
  expect(await screen.findByRole("heading", { name: "Decision: Declined" })).toBeInTheDocument();
  expect(screen.getByText(/the limit is 35.00%/)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Ask the advisor what to change" })).toBeInTheDocument();
  expect(screen.queryByRole("link", { name: "See your offers" })).not.toBeInTheDocument();
  expect(screen.getByText("48.20% (limit 35.00%)")).toBeInTheDocument();
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
