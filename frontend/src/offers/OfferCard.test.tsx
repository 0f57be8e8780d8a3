import { render, screen } from "@testing-library/react";
import { OfferCard } from "./OfferCard";

it("shows the API's figures formatted, with an accessible name", () => {
  render(<OfferCard offer={{ kind: "lower_payment", amount: "20000", tenure_months: 60, annual_rate_pct: "8.65", apr_pct: "9.10", monthly_payment: "411.52", total_cost: "4891.20" }} />);
  expect(screen.getByRole("article", { name: "Lower monthly payment: $411.52 a month" })).toBeInTheDocument();
  expect(screen.getByText("$20,000.00")).toBeInTheDocument();
  expect(screen.getByText("60 months (5 yr)")).toBeInTheDocument();
  expect(screen.getByText("9.10%")).toBeInTheDocument();
});
