import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import KbEditor, { NEW_DOCUMENT, toMarkdown } from "./KbEditor";

afterEach(() => vi.unstubAllGlobals());

const summary = [
  { doc_id: "late-fees", version: 2, title: "Late payments", products: ["car", "home"], effective_date: "2026-11-01" },
  { doc_id: "gold-valuation", version: 1, title: "Gold: valuation", products: ["gold"], effective_date: "2026-10-01" },
];
const doc = (version: number, body = "# Late payments\n\nFive days of grace.") => ({
  doc_id: "late-fees", version, title: "Late payments", products: ["car", "home"], effective_date: "2026-11-01",
  body, deleted: false, versions: Array.from({ length: version }, (_, i) => i + 1), latest_version: version,
});

function at(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes><Route path="/staff/kb/*" element={<KbEditor />} /></Routes>
    </MemoryRouter>,
  );
}

it("writes front matter the API parses back (quoted title, product list)", () => {
  const text = toMarkdown({ ...doc(2), title: 'Gold: "valuation"' });
  expect(text).toBe('---\nid: late-fees\ntitle: "Gold: \\"valuation\\""\nproducts: [car, home]\neffective_date: 2026-11-01\nversion: 2\n---\n# Late payments\n\nFive days of grace.\n');
  expect(NEW_DOCUMENT).toMatch(/^---\nid: new-policy\n/);
});

it("lists documents with id, title, version, effective date and products, without axe violations", async () => {
  mockFetch({ "GET /v1/staff/kb/documents": { body: summary } });
  const { container } = at("/staff/kb");
  const table = await screen.findByRole("table", { name: "Documents (2)" });
  const rows = within(table).getAllByRole("row").map((r) => r.textContent);
  expect(rows[1]).toBe("Late paymentslate-fees22026-11-01car, home");
  expect(within(table).getByRole("link", { name: "Gold: valuation" })).toHaveAttribute("href", "/staff/kb/doc/gold-valuation");
  expect(screen.getByRole("link", { name: "Add a document" })).toHaveAttribute("href", "/staff/kb/new");
  expect(await axeViolations(container)).toEqual([]);
});

it("searches the knowledge base as the advisor does", async () => {
  const calls = mockFetch({
    "GET /v1/staff/kb/documents": { body: summary },
    "GET /v1/staff/kb/search": { body: [{ doc_id: "late-fees", version: 2, title: "Late payments", section: "Grace", text: "Five days.", score: 0.91, url: "#/kb/late-fees?version=2" }] },
  });
  at("/staff/kb");
  await userEvent.type(await screen.findByLabelText("Search the policy"), "late fee");
  await userEvent.click(screen.getByRole("button", { name: "Search" }));
  expect(await screen.findByRole("link", { name: "Late payments — Grace" })).toHaveAttribute("href", "#/kb/late-fees?version=2");
  expect(screen.getByRole("link", { name: "Edit Late payments" })).toHaveAttribute("href", "/staff/kb/doc/late-fees");
  expect(calls.at(-1)?.path).toBe("/v1/staff/kb/search");
});

it("opens a document, saves a new version with PUT and shows the new version number", async () => {
  let current = doc(2);
  const calls = mockFetch({
    "GET /v1/kb/documents/late-fees": () => ({ body: current }),
    "PUT /v1/staff/kb/documents/late-fees": (req) => {
      current = doc(3, "# Late payments\n\nSeven days of grace.");
      expect(req.headers.get("Content-Type")).toContain("application/json");
      return { body: { doc_id: "late-fees", version: 3, action: "updated", chunks: 2 } };
    },
  });
  const { container } = at("/staff/kb/doc/late-fees");
  const area = await screen.findByLabelText("Document (Markdown with front matter)");
  expect(area).toHaveValue(toMarkdown(doc(2)));
  expect(screen.getByText("2", { selector: "strong" })).toBeInTheDocument();
  fireEvent.change(area, { target: { value: toMarkdown(doc(2)).replace("Five", "Seven") } });
  await userEvent.click(screen.getByRole("button", { name: "Save new version" }));
  expect(await screen.findByText("Saved version 3.")).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Saved version 3.");
  expect(screen.getByText("3", { selector: "strong" })).toBeInTheDocument();
  const put = calls.find((c) => c.method === "PUT");
  expect(JSON.parse(put?.body ?? "{}").text).toContain("Seven days of grace.");
  expect(await axeViolations(container)).toEqual([]);
});

it("ties the API's validation errors to the text area and moves focus there", async () => {
  mockFetch({
    "GET /v1/kb/documents/late-fees": { body: doc(2) },
    "PUT /v1/staff/kb/documents/late-fees": {
      status: 422,
      body: { title: "Invalid input", status: 422, detail: "api: effective_date must be YYYY-MM-DD", errors: [{ field: "effective_date", message: "api: effective_date must be YYYY-MM-DD" }] },
    },
  });
  const { container } = at("/staff/kb/doc/late-fees");
  const area = await screen.findByLabelText("Document (Markdown with front matter)");
  fireEvent.change(area, { target: { value: toMarkdown(doc(2)).replace("2026-11-01", "1 Nov") } });
  await userEvent.click(screen.getByRole("button", { name: "Save new version" }));
  const message = await screen.findByText("Front matter “effective_date”: effective_date must be YYYY-MM-DD");
  expect(area).toHaveAttribute("aria-invalid", "true");
  expect(area.getAttribute("aria-describedby")).toContain(message.id);
  expect(area).toHaveFocus();
  expect(await axeViolations(container)).toEqual([]);
});

it("shows a validation problem without a field (bad YAML) next to the text area too", async () => {
  mockFetch({
    "GET /v1/kb/documents/late-fees": { body: doc(2) },
    "PUT /v1/staff/kb/documents/late-fees": { status: 422, body: { title: "Invalid input", status: 422, detail: "api: front matter is not valid YAML" } },
  });
  at("/staff/kb/doc/late-fees");
  await userEvent.click(await screen.findByRole("button", { name: "Save new version" }));
  expect(await screen.findByText("front matter is not valid YAML")).toHaveClass("error");
  expect(screen.getByLabelText("Document (Markdown with front matter)")).toHaveAttribute("aria-invalid", "true");
});

it("adds a new document with POST and opens it with its version", async () => {
  const calls = mockFetch({
    "POST /v1/staff/kb/documents": { status: 201, body: { doc_id: "new-policy", version: 1, action: "added", chunks: 1 } },
    "GET /v1/kb/documents/new-policy": { body: { ...doc(1), doc_id: "new-policy", title: "New policy" } },
  });
  at("/staff/kb/new");
  const area = screen.getByLabelText("Document (Markdown with front matter)");
  expect(area).toHaveValue(NEW_DOCUMENT);
  await userEvent.click(screen.getByRole("button", { name: "Add document" }));
  expect(await screen.findByText("Added “new-policy” as version 1.")).toBeInTheDocument();
  expect(await screen.findByRole("heading", { name: "Edit: New policy" })).toBeInTheDocument();
  expect(calls[0]).toMatchObject({ method: "POST", path: "/v1/staff/kb/documents" });
  expect(JSON.parse(calls[0]?.body ?? "{}").text).toBe(NEW_DOCUMENT);
});

it("reports an existing id (409) next to the text area when adding", async () => {
  mockFetch({
    "POST /v1/staff/kb/documents": { status: 409, body: { title: "Conflict", status: 409, detail: "document 'new-policy' already exists; use update", errors: [{ field: "id", message: "document 'new-policy' already exists; use update" }] } },
  });
  at("/staff/kb/new");
  await userEvent.click(screen.getByRole("button", { name: "Add document" }));
  expect(await screen.findByText("Front matter “id”: document 'new-policy' already exists; use update")).toBeInTheDocument();
});

it("withdraws only after confirming; cancel returns focus and sends nothing", async () => {
  const calls = mockFetch({
    "GET /v1/kb/documents/late-fees": { body: doc(2) },
    "DELETE /v1/staff/kb/documents/late-fees": { body: { doc_id: "late-fees", version: 3, action: "deleted", chunks: 0 } },
    "GET /v1/staff/kb/documents": { body: summary.slice(1) },
  });
  at("/staff/kb/doc/late-fees");
  const opener = await screen.findByRole("button", { name: "Withdraw document" });
  await userEvent.click(opener);
  const group = screen.getByRole("group", { name: /Withdraw “Late payments”\?/ });
  expect(within(group).getByRole("button", { name: "Cancel" })).toHaveFocus();
  await userEvent.keyboard("{Escape}");
  expect(screen.getByRole("button", { name: "Withdraw document" })).toHaveFocus();
  expect(calls.some((c) => c.method === "DELETE")).toBe(false);
  await userEvent.click(screen.getByRole("button", { name: "Withdraw document" }));
  await userEvent.click(screen.getByRole("button", { name: "Yes, withdraw" }));
  expect(await screen.findByText(/Withdrew “Late payments” \(late-fees\)/)).toBeInTheDocument();
  await waitFor(() => expect(screen.getByRole("table", { name: "Documents (1)" })).toBeInTheDocument());
  expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual(["/v1/staff/kb/documents/late-fees"]);
});

it("says why a document cannot be opened", async () => {
  mockFetch({});
  at("/staff/kb/doc/missing");
  expect(await screen.findByRole("alert")).toHaveTextContent("no route GET /v1/kb/documents/missing");
});

it("says a withdrawn document is republished by saving, and offers no second withdraw", async () => {
  mockFetch({ "GET /v1/kb/documents/late-fees": { body: { ...doc(3), deleted: true } } });
  at("/staff/kb/doc/late-fees");
  expect(await screen.findByText(/This document is withdrawn/)).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Withdraw document" })).toBeNull();
});
