import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import { Topics } from "./Dashboard";
import KbEditor from "./KbEditor";
import { draftId, gapDraft, getDraft, openQuestions } from "./kbDrafts";

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

const gap = {
  label: "repay / early / fee", count: 9, examples: ["can I repay early?", "is there a fee to  close early?"],
  mean_confidence: 0.2, thumbs_down_share: 0.5, gap: true, why: ["low retrieval confidence"],
};
const covered = { ...gap, label: "apr / rate", gap: false, why: [] };

function dashboard() {
  return render(
    <MemoryRouter initialEntries={["/staff/kpis"]}>
      <Routes>
        <Route path="/staff/kpis" element={<Topics topics={[gap, covered]} />} />
        <Route path="/staff/kb/*" element={<KbEditor />} />
      </Routes>
    </MemoryRouter>,
  );
}

it("pre-fills a draft from the gap: title from the topic, its questions as a checklist", () => {
  const d = gapDraft(gap, new Date("2026-12-03T10:00:00Z"));
  expect(d.id).toBe("repay-early-fee");
  expect(d.text).toMatch(/^---\nid: repay-early-fee\ntitle: "Repay \/ early \/ fee"\nproducts: \[personal\]\neffective_date: 2026-12-03\n/);
  expect(d.text).toContain("## What this document must answer\n- [ ] can I repay early?\n- [ ] is there a fee to close early?\n");
  expect(openQuestions(d.text)).toBe(2);
  expect(openQuestions(d.text.replace("- [ ] can", "- [x] can"))).toBe(1);
  expect(draftId("[email] / ?")).toBe("email");
  expect(draftId("?")).toBe("topic-misc");
});

it("opens the KB editor on a saved draft from a gap, and publishes only after confirming", async () => {
  const calls = mockFetch({
    "POST /v1/staff/kb/documents": { status: 201, body: { doc_id: "repay-early-fee", version: 1, action: "added", chunks: 2 } },
    "GET /v1/kb/documents/repay-early-fee": { body: { doc_id: "repay-early-fee", version: 1, title: "Repay / early / fee", products: ["personal"], effective_date: "2026-12-03", body: "# Repay", deleted: false, versions: [1], latest_version: 1 } },
    "GET /v1/staff/kb/documents": { body: [] },
  });
  const { container } = dashboard();
  expect(screen.getAllByRole("link", { name: /^Draft a document/ })).toHaveLength(1); // gaps only
  await userEvent.click(screen.getByRole("link", { name: "Draft a document for the gap “repay / early / fee”" }));
  await screen.findByRole("heading", { name: "Draft: Repay / early / fee" });
  const area = screen.getByLabelText("Document (Markdown with front matter)") as HTMLTextAreaElement;
  expect(area.value).toContain("- [ ] can I repay early?");
  expect(getDraft("repay-early-fee")?.text).toBe(area.value); // saved as a draft on opening
  expect(screen.getByRole("status")).toHaveTextContent("Draft saved in this browser. It is not published.");
  expect(await axeViolations(container)).toEqual([]);

  await userEvent.type(area, "\nNo fee after 12 months.");
  await userEvent.click(screen.getByRole("button", { name: "Publish…" }));
  const confirm = screen.getByRole("group", { name: /Publish “Repay \/ early \/ fee”\?/ });
  expect(confirm).toHaveTextContent("2 questions are still unticked on the checklist.");
  expect(within(confirm).getByRole("button", { name: "Keep as draft" })).toHaveFocus();
  expect(getDraft("repay-early-fee")?.text).toContain("No fee after 12 months."); // kept while deciding
  await userEvent.click(within(confirm).getByRole("button", { name: "Keep as draft" }));
  expect(calls.some((c) => c.method === "POST")).toBe(false); // nothing published without confirming

  await userEvent.click(screen.getByRole("button", { name: "Publish…" }));
  await userEvent.click(screen.getByRole("button", { name: "Yes, publish" }));
  expect(await screen.findByText(/Published “repay-early-fee” as version 1/)).toBeInTheDocument();
  const post = calls.find((c) => c.method === "POST");
  expect(JSON.parse(post!.body).text).toContain("No fee after 12 months.");
  expect(getDraft("repay-early-fee")).toBeNull(); // published: the draft is gone
}, 30_000); // axe is slow on a busy machine

it("lists saved drafts on the documents page and reopens them with the editor's work", async () => {
  mockFetch({ "GET /v1/staff/kb/documents": { body: [] } });
  dashboard();
  await userEvent.click(screen.getByRole("link", { name: /^Draft a document/ }));
  const area = await screen.findByLabelText("Document (Markdown with front matter)");
  await userEvent.type(area, "\nmy edit");
  await userEvent.click(screen.getByRole("button", { name: "Save draft" }));
  await userEvent.click(screen.getByRole("link", { name: "← All documents" }));
  expect(await screen.findByRole("region", { name: "Drafts in this browser (not published)" })).toBeInTheDocument();
  await userEvent.click(screen.getByRole("link", { name: "Repay / early / fee" }));
  await waitFor(() => expect(screen.getByLabelText("Document (Markdown with front matter)")).toHaveValue(getDraft("repay-early-fee")!.text));
  expect(getDraft("repay-early-fee")!.text).toContain("my edit");
});

it("says so when the draft is not in this browser", async () => {
  render(
    <MemoryRouter initialEntries={["/staff/kb/draft/nothing-here"]}>
      <Routes><Route path="/staff/kb/*" element={<KbEditor />} /></Routes>
    </MemoryRouter>,
  );
  expect(await screen.findByText(/no draft “nothing-here” in this browser/)).toBeInTheDocument();
});
