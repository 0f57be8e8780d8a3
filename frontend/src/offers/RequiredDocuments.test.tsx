import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import Compare from "../pages/Compare";

afterEach(() => vi.unstubAllGlobals());

const versions = { policy_version: "p", policy_hash: "h", model_version: "m" };
const offer = {
  offer_id: "ofr_a", status: "active", kind: "requested", product: "car", amount: "20000", tenure_months: 48,
  annual_rate_pct: "9.10", apr_pct: "9.60", monthly_payment: "498.00", total_interest: "1", fees: "200", total_repayment: "1",
  total_cost: "4100.00", dti_pct: "10", late_fee: "25", risk_tier: "C", versions,
};
const decision = {
  outcome: "conditionally_approved", reasons: [], product: "car", amount: "20000", tenure_months: 48, risk_tier: "C",
  probability_of_default: 0.15, annual_rate_pct: "9.10", monthly_payment: "498.00", dti_pct: "10", max_dti_pct: "35.00",
  required_documents: ["Government-issued photo ID", "Vehicle purchase agreement or dealer invoice"], versions,
};
const BLOCKED = "Before you can accept, we need: Vehicle purchase agreement or dealer invoice.";
const docs = (provided: boolean[]) => decision.required_documents.map((name, i) => ({ name, provided: provided[i], provided_at: null, document_id: null }));

it("keeps Accept disabled with the reason until the documents are in, then opens it", async () => {
  const calls = mockFetch({
    "GET /v1/applications/app_12345678/offers": {
      body: { application_id: "app_12345678", decision, offers: [offer], note: "", documents: docs([true, false]), accept_blocked: BLOCKED },
    },
    "POST /v1/documents": { status: 201, body: { document_id: "doc_up000001", kind: "other", filename: "invoice.pdf", content_type: "application/pdf", size_bytes: 9, application_id: "app_12345678", status: "stored", created_at: "2026-12-02T00:00:00Z" } },
    "POST /v1/applications/app_12345678/documents": { body: { application_id: "app_12345678", documents: docs([true, true]), accept_blocked: null } },
  });
  const { container } = render(
    <MemoryRouter initialEntries={["/applications/app_12345678/compare"]}>
      <Routes><Route path="/applications/:id/compare" element={<Compare />} /></Routes>
    </MemoryRouter>,
  );
  expect(await screen.findByRole("heading", { name: "Documents we need" })).toBeInTheDocument();
  expect(screen.getByText("1 of 2 still needed", { exact: false })).toBeInTheDocument();
  const accept = screen.getByRole("button", { name: /Documents needed first/ });
  expect(accept).toBeDisabled();
  expect(accept).toHaveAccessibleDescription(BLOCKED);
  expect(screen.getByText("Provided")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: /Mark as provided: Government/ })).toBeNull();
  expect(await axeViolations(container)).toEqual([]);

  const user = userEvent.setup();
  const file = new File(["%PDF-1.4"], "invoice.pdf", { type: "application/pdf" });
  await user.upload(screen.getByLabelText(/Upload: Vehicle purchase agreement/), file);
  expect(await screen.findByText("Thank you: every document is in.")).toBeInTheDocument();
  const marked = calls.find((c) => c.path === "/v1/applications/app_12345678/documents");
  expect(JSON.parse(marked!.body)).toEqual({ name: "Vehicle purchase agreement or dealer invoice", document_id: "doc_up000001" });
  const open = screen.getByRole("button", { name: /Review and accept: \$20,000.00 over 48 months/ });
  expect(open).toBeEnabled();
  expect(screen.queryByText(BLOCKED)).toBeNull();
  expect(within(screen.getByRole("list", { name: "Offers" })).getAllByRole("button")).toHaveLength(1);
  expect(await axeViolations(container)).toEqual([]);
});

it("marks a document as provided without a file, and shows a refusal in words", async () => {
  const calls = mockFetch({
    "GET /v1/applications/app_12345678/offers": {
      body: { application_id: "app_12345678", decision, offers: [offer], note: "", documents: docs([false, false]), accept_blocked: BLOCKED },
    },
    "POST /v1/applications/app_12345678/documents": { status: 409, body: { title: "Conflict", detail: "an application that is withdrawn cannot take documents for a conditional approval" } },
  });
  render(
    <MemoryRouter initialEntries={["/applications/app_12345678/compare"]}>
      <Routes><Route path="/applications/:id/compare" element={<Compare />} /></Routes>
    </MemoryRouter>,
  );
  await userEvent.setup().click(await screen.findByRole("button", { name: "Mark as provided: Government-issued photo ID" }));
  expect(await screen.findByRole("alert")).toHaveTextContent(/withdrawn cannot take documents/i);
  expect(JSON.parse(calls.at(-1)!.body)).toEqual({ name: "Government-issued photo ID", document_id: null });
  expect(screen.getByRole("button", { name: /Documents needed first/ })).toBeDisabled();
});
