import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { mockFetch } from "../test/fetchMock";
import { Apply } from "./Apply";

afterEach(() => vi.unstubAllGlobals());

it("reports the form's first step (drop-off funnel) and the application start (experiments)", async () => {
  localStorage.clear();
  const calls = mockFetch({
    "POST /v1/events/step": { status: 201, body: {} },
    "POST /v1/experiments/events": { status: 204, body: null },
  });
  render(<MemoryRouter><Apply /></MemoryRouter>);
  await vi.waitFor(() => expect(calls).toHaveLength(2));
  const step = calls.find((c) => c.path === "/v1/events/step")!;
  expect(JSON.parse(step.body)).toMatchObject({ channel: "form", step: "about_you" });
  expect(JSON.parse(step.body).session).toMatch(/^form-[A-Za-z0-9_-]{8,59}$/);
  const started = calls.find((c) => c.path === "/v1/experiments/events")!;
  expect(JSON.parse(started.body)).toEqual({ event: "application_started", value: 1 });
});
