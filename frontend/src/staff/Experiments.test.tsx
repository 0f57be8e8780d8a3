import { render, screen, within } from "@testing-library/react";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import Experiments, { experimentCharts, uiName } from "./Experiments";

afterEach(() => vi.unstubAllGlobals());

const view = {
  arms: [
    { variant: "control", prompt: "advisor-v1", turns: 12, threads: 4 },
    { variant: "treatment", prompt: "advisor-v2", turns: 9, threads: 3 },
  ],
  ui_arms: [
    { experiment_id: "chat_layout", variant: "floating", exposures: 5, users: 2 },
    { experiment_id: "chat_layout", variant: "panel", exposures: 7, users: 3 },
    { experiment_id: "offer_presentation", variant: "cards", exposures: 4, users: 4 },
  ],
  window_events: 21,
};

it("groups arms into one chart per experiment", () => {
  const charts = experimentCharts(view);
  expect(charts.map((c) => c.title)).toEqual([
    "Advisor prompt variants: chat turns and threads per arm",
    "Chat layout: exposures and users per arm",
    "Offer presentation: exposures and users per arm",
  ]);
  expect(charts[1]?.rows).toEqual([{ label: "floating", values: [5, 2] }, { label: "panel", values: [7, 3] }]);
  expect(experimentCharts({ arms: [], ui_arms: [], window_events: 0 })).toEqual([]);
});

it("shows each experiment as a chart with a table for screen readers, without axe violations", async () => {
  const calls = mockFetch({ "GET /v1/staff/experiments": { body: view }, "GET /v1/experiments": { body: [] } });
  const { container } = render(<Experiments />);
  const figures = await screen.findAllByRole("figure");
  expect(figures).toHaveLength(3);
  const table = within(figures[1]!).getByRole("table", { name: "Chat layout: exposures and users per arm" });
  expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["Arm", "Exposures", "Users"]);
  expect(within(table).getByRole("rowheader", { name: "panel" }).parentElement).toHaveTextContent("panel73");
  expect(within(figures[0]!).getByRole("rowheader", { name: "treatment (advisor-v2)" })).toBeInTheDocument();
  expect(screen.getByText("21 recent prompt-variant exposure events read.")).toBeInTheDocument();
  expect(calls).toContainEqual({ method: "GET", path: "/v1/staff/experiments", body: "" });
  expect(await screen.findByText("No experiments defined yet.")).toBeInTheDocument();
  expect(await axeViolations(container)).toEqual([]);
});

it("says when nothing was exposed yet, and shows the API's error", async () => {
  mockFetch({
    "GET /v1/staff/experiments": { body: { arms: [], ui_arms: [], window_events: 0 } },
    "GET /v1/experiments": { body: [] },
  });
  const { unmount } = render(<Experiments />);
  expect(await screen.findByText("No exposures recorded yet.")).toBeInTheDocument();
  unmount();
  mockFetch({ "GET /v1/experiments": { body: [] } });
  render(<Experiments />);
  expect(await screen.findByRole("alert")).toHaveTextContent("no route GET /v1/staff/experiments");
});

it("names UI experiments with their version", () => {
  expect(uiName("chat_layout/v1")).toBe("Chat layout (v1)");
  expect(uiName("new_thing")).toBe("new thing");
});
