import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import Compare from "./Compare";

afterEach(() => vi.unstubAllGlobals());

const versions = { policy_version: "p", policy_hash: "h", model_version: "m" };
const offer = (id: string, tenure: number, payment: string) => ({
  offer_id: id, status: "active", kind: tenure === 48 ? "requested" : "lower_payment", product: "car", amount: "25000", tenure_months: tenure,
  annual_rate_pct: "7.57", apr_pct: "8.09", monthly_payment: payment, total_interest: "1", fees: "250", total_repayment: "1",
  total_cost: "4303.92", dti_pct: "10", late_fee: "25", risk_tier: "A", versions,
});
const decision = {
  outcome: "approved", reasons: [], product: "car", amount: "25000", tenure_months: 48, risk_tier: "A", probability_of_default: 0.02,
  annual_rate_pct: "7.57", monthly_payment: "605.29", dti_pct: "10.06", max_dti_pct: "35.00", required_documents: [], versions,
};

it("re-prices once the slider settles, compares the new offers and accepts one", async () => {
  const calls = mockFetch({
    "GET /v1/applications/app_12345678/offers": { body: { application_id: "app_12345678", decision, offers: [offer("ofr_a", 48, "605.29"), offer("ofr_b", 60, "501.78")], note: "" } },
    "POST /v1/applications/app_12345678/offers/adjust": { body: { application_id: "app_12345678", decision, offers: [offer("ofr_c", 66, "464.27"), offer("ofr_d", 84, "384.32")], note: "new terms" } },
    "POST /v1/applications/app_12345678/offers/compare": {
      body: { rows: [], best_payment: "ofr_d", best_total_cost: "ofr_c", fastest_payoff: "ofr_c" },
    },
    "POST /v1/applications/app_12345678/offers/ofr_d/accept": { body: offer("ofr_d", 84, "384.32") },
    "POST /v1/applications/app_12345678/withdraw": { body: {} },
  });
  const { container } = render(
    <MemoryRouter initialEntries={["/applications/app_12345678/compare"]}>
      <Routes><Route path="/applications/:id/compare" element={<Compare />} /></Routes>
    </MemoryRouter>,
  );
  const slider = await screen.findByLabelText(/^Term: 48 months/);
  for (const v of [54, 60, 66]) fireEvent.change(slider, { target: { value: String(v) } });
  expect(await screen.findByText(/^Updated for \$25,000 over 66 months: 2 offers/)).toBeInTheDocument();
  // Three slider moves, one debounced re-pricing call.
  expect(calls.filter((c) => c.path.endsWith("/adjust"))).toHaveLength(1);
  expect(JSON.parse(calls.find((c) => c.path.endsWith("/adjust"))!.body)).toEqual({ amount: "25000", tenure_months: 66 });
  await waitFor(() => expect(screen.getByText("Lowest payment")).toBeInTheDocument());
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: /Review and accept: \$25,000.00 over 84 months/ }));
  // The review step restates the terms and has focus; nothing is accepted yet.
  const review = screen.getByRole("heading", { name: "Review your loan before you accept" });
  expect(review).toHaveFocus();
  expect(screen.getByText("Total cost of credit").nextSibling).toHaveTextContent("$4,303.92");
  expect(screen.getByText("APR (incl. fees)").nextSibling).toHaveTextContent("8.09%");
  expect(await axeViolations(container)).toEqual([]);
  await user.click(screen.getByRole("button", { name: "Confirm and accept" }));
  const box = screen.getByRole("checkbox", { name: /I have read these terms/ });
  expect(box).toHaveFocus();
  expect(box).toHaveAccessibleDescription("Tick the box to confirm you accept these terms.");
  expect(calls.filter((c) => c.path.endsWith("/accept"))).toHaveLength(0);
  await user.click(box);
  await user.click(screen.getByRole("button", { name: "Confirm and accept" }));
  expect(await screen.findByRole("heading", { name: "You accepted your loan offer" })).toHaveFocus();
  expect(calls.filter((c) => c.path.endsWith("/accept"))).toHaveLength(1);
  expect(screen.getByText(/^Accepted: \$25,000.00 over 84 months at 7.57%/)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Tell us how we did" })).toHaveAttribute("href", "/applications/app_12345678/feedback");
  expect(await axeViolations(container)).toEqual([]);
  // Cooling-off: withdraw asks first, then calls the API.
  await user.click(screen.getByRole("button", { name: "Withdraw from this loan" }));
  await user.click(screen.getByRole("button", { name: "Yes, withdraw" }));
  expect(await screen.findByRole("heading", { name: "You withdrew from this loan" })).toBeInTheDocument();
  expect(calls.filter((c) => c.path.endsWith("/withdraw"))).toHaveLength(1);
});

it("greys out offers and disables Accept while new terms are being priced", async () => {
  mockFetch({
    "GET /v1/applications/app_12345678/offers": { body: { application_id: "app_12345678", decision, offers: [offer("ofr_a", 48, "605.29")], note: "" } },
  });
  render(
    <MemoryRouter initialEntries={["/applications/app_12345678/compare"]}>
      <Routes><Route path="/applications/:id/compare" element={<Compare />} /></Routes>
    </MemoryRouter>,
  );
  const slider = await screen.findByLabelText(/^Term: 48 months/);
  fireEvent.change(slider, { target: { value: "60" } });
  expect(screen.getByRole("button", { name: /Updating…/ })).toBeDisabled();
  expect(screen.getByRole("list", { name: "Offers" })).toHaveAttribute("aria-busy", "true");
});
