import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { FloatingChat } from "./FloatingChat";

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });

function renderSheet() {
  vi.stubGlobal("fetch", async () => json([])); // no earlier conversations
  return render(
    <MemoryRouter>
      <a href="#before">A link on the page</a>
      <FloatingChat />
    </MemoryRouter>,
  );
}

it("opens as a modal sheet over a backdrop, keeps Tab inside and Escape returns focus", async () => {
  const { container } = renderSheet();
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Ask the advisor" }));
  const dialog = screen.getByRole("dialog", { name: "Advisor" });
  expect(dialog).toHaveAttribute("aria-modal", "true");
  expect(screen.getByTestId("chat-backdrop")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Close advisor" })).toHaveFocus();
  for (let i = 0; i < 12; i++) {
    await user.tab();
    expect(dialog.contains(document.activeElement)).toBe(true);
  }
  for (let i = 0; i < 12; i++) {
    await user.tab({ shift: true });
    expect(dialog.contains(document.activeElement)).toBe(true);
  }
  expect(screen.queryByRole("link", { name: "A link on the page" })).toBeInTheDocument();
  expect(await axeViolations(container)).toEqual([]);
  await user.keyboard("{Escape}");
  expect(screen.queryByRole("dialog")).toBeNull();
  expect(screen.getByRole("button", { name: "Ask the advisor" })).toHaveFocus();
});

it("closes when the backdrop is tapped or the close button pressed", async () => {
  renderSheet();
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Ask the advisor" }));
  await user.click(screen.getByTestId("chat-backdrop"));
  expect(screen.queryByRole("dialog")).toBeNull();
  expect(screen.getByRole("button", { name: "Ask the advisor" })).toHaveFocus();
  await user.click(screen.getByRole("button", { name: "Ask the advisor" }));
  await user.click(screen.getByRole("button", { name: "Close advisor" }));
  expect(screen.getByRole("button", { name: "Ask the advisor" })).toHaveFocus();
});
