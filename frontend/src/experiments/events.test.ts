import { mockFetch } from "../test/fetchMock";
import { newFormSession, rememberExperiments, reportExposure, reportOutcome, reportStep, resetEvents } from "./events";

afterEach(() => {
  vi.unstubAllGlobals();
  resetEvents();
});

const settle = () => new Promise((r) => setTimeout(r, 0));

it("posts outcomes, steps and one exposure per surface under the assigned experiment's key", async () => {
  const calls = mockFetch({
    "POST /v1/experiments/events": { status: 204, body: null },
    "POST /v1/experiments/offer_layout_test/exposure": { body: { first_exposure: true } },
    "POST /v1/events/step": { status: 201, body: {} },
  });
  rememberExperiments({ offer_presentation: "offer_layout_test/v3" });
  reportExposure("offer_presentation");
  reportExposure("offer_presentation"); // once per page load
  reportExposure("chat_layout"); // no experiment known for it: nothing sent
  reportOutcome("offer_viewed");
  reportStep("loan", "form-0123456789");
  await settle();
  expect(calls.map((c) => c.path)).toEqual([
    "/v1/experiments/offer_layout_test/exposure",
    "/v1/experiments/events",
    "/v1/events/step",
  ]);
  expect(JSON.parse(calls[1]!.body)).toEqual({ event: "offer_viewed", value: 1 });
  expect(JSON.parse(calls[2]!.body)).toEqual({ channel: "form", step: "loan", session: "form-0123456789" });
});

it("never throws when the service is down, and makes ids the API accepts", async () => {
  vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("offline"))));
  expect(() => reportOutcome("thumb_down")).not.toThrow();
  await settle();
  expect(newFormSession()).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
});
