import { render, screen, waitFor } from "@testing-library/react";
import { mockFetch } from "../test/fetchMock";
import { urlVariants, VariantsProvider } from "./VariantsProvider";
import { useVariants } from "./variants";

afterEach(() => vi.unstubAllGlobals());

function Show() {
  const v = useVariants();
  return <p data-testid="v">{`${v.chat_layout}/${v.offer_presentation}`}</p>;
}

const assignment = {
  variants: { chat_layout: "floating", offer_presentation: "table" },
  experiment_ids: { chat_layout: "chat_layout/v1", offer_presentation: "offer_presentation/v1" },
};

it("feeds the API's assignment for the signed-in user into the variants context", async () => {
  const calls = mockFetch({ "GET /v1/experiments/assignment": { body: assignment } });
  const { rerender } = render(<VariantsProvider userId={null}><Show /></VariantsProvider>);
  expect(screen.getByTestId("v")).toHaveTextContent("panel/cards");
  expect(calls).toHaveLength(0); // signed out: control arms, nothing fetched or recorded
  rerender(<VariantsProvider userId="usr_a"><Show /></VariantsProvider>);
  await waitFor(() => expect(screen.getByTestId("v")).toHaveTextContent("floating/table"));
  expect(calls.map((c) => c.path)).toEqual(["/v1/experiments/assignment"]);
  rerender(<VariantsProvider userId={null}><Show /></VariantsProvider>);
  expect(screen.getByTestId("v")).toHaveTextContent("panel/cards"); // signed out again
});

it("keeps the control arms when the assignment cannot be read", async () => {
  const calls = mockFetch({ "GET /v1/experiments/assignment": { status: 503, body: { title: "Service unavailable" } } });
  render(<VariantsProvider userId="usr_b"><Show /></VariantsProvider>);
  await waitFor(() => expect(calls).toHaveLength(1));
  expect(screen.getByTestId("v")).toHaveTextContent("panel/cards");
});

it("lets a URL override pin the arms (end-to-end tests) without fetching", () => {
  expect(urlVariants(`?variants=${encodeURIComponent('{"chat_layout":"floating"}')}`)).toEqual({ chat_layout: "floating", offer_presentation: "cards" });
  expect(urlVariants("?variants=not-json")).toBeNull();
  expect(urlVariants("")).toBeNull();
});
