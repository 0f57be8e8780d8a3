import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { Apply } from "./Apply";

const renderApply = () => render(<MemoryRouter><Apply /></MemoryRouter>);

describe("Apply", () => {
  it("shows errors tied to their fields and moves focus to the first one", async () => {
    const user = userEvent.setup();
    renderApply();
    await user.click(screen.getByRole("button", { name: "Continue" }));
    const age = screen.getByLabelText("Age");
    expect(age).toHaveAttribute("aria-invalid", "true");
    expect(age).toHaveAccessibleDescription(/Age is required/);
    expect(age).toHaveFocus();
  });

  it("validates as the applicant types and clears the message once fixed", async () => {
    const user = userEvent.setup();
    renderApply();
    const age = screen.getByLabelText("Age");
    await user.type(age, "16");
    await user.tab();
    expect(screen.getByText("Must be between 18 and 100.")).toBeInTheDocument();
    await user.clear(age);
    await user.type(age, "36");
    expect(screen.queryByText("Must be between 18 and 100.")).not.toBeInTheDocument();
  });

  it("advances with valid answers and resumes the saved draft", async () => {
    const user = userEvent.setup();
    const { unmount } = renderApply();
    await user.type(screen.getByLabelText("Age"), "36");
    await user.type(screen.getByLabelText(/Dependents/), "1");
    await user.selectOptions(screen.getByLabelText("Highest education"), "Master's");
    await user.click(screen.getByRole("button", { name: "Continue" }));
    expect(screen.getByRole("heading", { name: /Step 2 of 5: Work and income/ })).toHaveFocus();
    unmount();
    renderApply();
    expect(screen.getByRole("heading", { name: /Step 2 of 5/ })).toBeInTheDocument();
    expect(screen.getByText(/restored the answers/)).toBeInTheDocument();
  });
});
