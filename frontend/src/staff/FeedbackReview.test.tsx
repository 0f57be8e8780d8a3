import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import type { FeedbackReview as Item } from "../api/endpoints";
import FeedbackReview from "./FeedbackReview";

afterEach(() => vi.unstubAllGlobals());

const ITEM = "fbr_000000000000000000000001";
const thumb: Item = {
  item_id: ITEM, status: "open", thread_id: "thr_0000001a", message_id: "m-2",
  question: "I'm [EMAIL], what rate do I get?", reply: "Your rate would be 29.9%.", thumb: "down", rating: null,
  comment: "wrong rate", application_id: null, created_at: "2026-12-02T10:00:00Z", closed_by: null, closed_at: null,
  note: "", eval_case: null, draft_file: "evals/review_drafts/review-thr_0000001a.yaml",
};
const rating: Item = {
  ...thumb, item_id: "fbr_000000000000000000000002", status: "dismissed", thread_id: null, message_id: "fbk_00000009",
  question: "", reply: "", thumb: null, rating: 1, comment: "", application_id: "app_00000001", draft_file: null,
  closed_by: "staff@example.com", closed_at: "2026-12-02T11:00:00Z", note: "duplicate",
};
const detail = {
  ...thumb,
  transcript: [
    { message_id: "m-1", role: "applicant", text: "I'm [EMAIL], what rate do I get?", rated: false },
    { message_id: "m-2", role: "advisor", text: "Your rate would be 29.9%.", rated: true },
  ],
};

it("lists items open first with the redacted exchange, rating and comment, without axe violations", async () => {
  const calls = mockFetch({
    "GET /v1/staff/feedback-reviews": { body: [thumb, rating] },
    [`GET /v1/staff/feedback-reviews/${ITEM}`]: { body: detail },
  });
  const { container } = render(<FeedbackReview />);
  const cards = await screen.findAllByRole("article");
  expect(cards.map((c) => within(c).getByRole("heading").textContent)).toEqual(["Thumbs down on an advisor reply", "Process rated 1 of 5"]);
  const open = within(cards[0]!);
  expect(open.getByText("Open")).toBeInTheDocument();
  expect(open.getByText("I'm [EMAIL], what rate do I get?")).toBeInTheDocument();
  expect(open.getByText("wrong rate")).toBeInTheDocument();
  const closed = within(cards[1]!);
  expect(closed.getByText(/by staff@example.com/)).toHaveTextContent("duplicate");
  expect(closed.queryByRole("button", { name: "Resolve" })).toBeNull(); // handled: no actions
  expect(closed.queryByRole("button", { name: "Turn into eval case" })).toBeNull(); // no conversation
  await userEvent.click(open.getByRole("button", { name: "Show the conversation" }));
  const turns = await open.findByRole("list", { name: /Conversation/ });
  expect(within(turns).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
    "Applicant: I'm [EMAIL], what rate do I get?",
    "Advisor (rated reply): Your rate would be 29.9%.",
  ]);
  await userEvent.selectOptions(screen.getByLabelText("Show"), "open");
  expect(calls.at(-1)?.path).toBe("/v1/staff/feedback-reviews");
  expect(await axeViolations(container)).toEqual([]);
}, 30_000); // axe is slow on a busy machine

it("resolves an item with a note and says so", async () => {
  let items: Item[] = [thumb];
  const calls = mockFetch({
    "GET /v1/staff/feedback-reviews": () => ({ body: items }),
    [`POST /v1/staff/feedback-reviews/${ITEM}/resolve`]: () => {
      items = [{ ...thumb, status: "resolved", closed_by: "staff@example.com", closed_at: "2026-12-02T12:00:00Z", note: "prompt fixed" }];
      return { body: items[0] };
    },
  });
  render(<FeedbackReview />);
  await userEvent.type(await screen.findByLabelText("Note (optional)"), "prompt fixed");
  await userEvent.click(screen.getByRole("button", { name: "Resolve" }));
  expect(await screen.findByText(/^Resolved: thumbs down on an advisor reply/)).toBeInTheDocument();
  expect(JSON.parse(calls.find((c) => c.path.endsWith("/resolve"))!.body)).toEqual({ note: "prompt fixed" });
  expect(await screen.findByText("Resolved", { selector: ".badge" })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Dismiss" })).toBeNull();
});

it("names the file before writing an eval case, then the draft written", async () => {
  let items: Item[] = [thumb];
  const calls = mockFetch({
    "GET /v1/staff/feedback-reviews": () => ({ body: items }),
    [`POST /v1/staff/feedback-reviews/${ITEM}/eval-case`]: () => {
      items = [{ ...thumb, eval_case: "review-thr_0000001a.yaml" }];
      return {
        status: 201,
        body: { draft: { case_id: "review-thr_0000001a", path: "/srv/var/evals/review_drafts/review-thr_0000001a.yaml", yaml: "# DRAFT" }, item: items[0] },
      };
    },
  });
  render(<FeedbackReview />);
  await userEvent.click(await screen.findByRole("button", { name: "Turn into eval case" }));
  const confirm = screen.getByRole("group", { name: /Write the draft evals case review-thr_0000001a.yaml\?/ });
  expect(within(confirm).getByText("evals/review_drafts/review-thr_0000001a.yaml")).toBeInTheDocument();
  expect(within(confirm).getByLabelText(/What went wrong/)).toHaveFocus();
  expect(calls.some((c) => c.path.endsWith("/eval-case"))).toBe(false); // nothing written before confirming
  await userEvent.keyboard("quoted a rate above policy");
  await userEvent.click(within(confirm).getByRole("button", { name: "Write the draft" }));
  expect(await screen.findByText(/Wrote the draft evals case review-thr_0000001a.yaml/)).toBeInTheDocument();
  expect(JSON.parse(calls.find((c) => c.path.endsWith("/eval-case"))!.body)).toEqual({ note: "quoted a rate above policy" });
  expect(await screen.findByText("review-thr_0000001a.yaml", { selector: "code" })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Turn into eval case" })).toHaveFocus(); // back to the opener
});

it("shows the API's reason when the note is refused", async () => {
  mockFetch({
    "GET /v1/staff/feedback-reviews": { body: [thumb] },
    [`POST /v1/staff/feedback-reviews/${ITEM}/eval-case`]: {
      status: 422,
      body: { title: "Invalid request", detail: "note: too short", errors: [{ field: "note", message: "String should have at least 3 characters" }] },
    },
  });
  render(<FeedbackReview />);
  await userEvent.click(await screen.findByRole("button", { name: "Turn into eval case" }));
  await userEvent.click(screen.getByRole("button", { name: "Write the draft" }));
  expect(await screen.findByText(/at least 3 characters|too short/)).toBeInTheDocument();
  expect(screen.getByLabelText(/What went wrong/)).toHaveAttribute("aria-invalid", "true");
});
