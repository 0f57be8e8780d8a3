import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { mockFetch } from "../test/fetchMock";
import KbDocument from "./KbDocument";

afterEach(() => vi.unstubAllGlobals());

const doc = {
  doc_id: "late-fees", version: 1, title: "Late payments", products: ["car"], effective_date: "2026-11-01",
  body: "# Late payments\n\n## Grace period\nFive days of **grace** after the due date.\n\n- Late fee: 5%\n- Returned payment: $25\n",
  deleted: false, versions: [1, 2], latest_version: 2,
};

function at(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes><Route path="/kb/:docId" element={<KbDocument />} /></Routes>
    </MemoryRouter>,
  );
}

it("renders the cited version as headings, paragraphs and lists, linking the current version", async () => {
  const calls = mockFetch({ "GET /v1/kb/documents/late-fees": { body: doc } });
  at("/kb/late-fees?version=1&section=grace-period");
  expect(await screen.findByRole("heading", { level: 1, name: "Late payments" })).toBeInTheDocument();
  expect(screen.getByText("Version 1, effective 2026-11-01")).toBeInTheDocument();
  expect(screen.getByRole("heading", { level: 3, name: "Grace period" })).toHaveAttribute("id", "grace-period");
  expect(screen.getByText("grace").tagName).toBe("STRONG");
  expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["Late fee: 5%", "Returned payment: $25"]);
  expect(screen.getByRole("link", { name: "Read the current version (2)" })).toHaveAttribute("href", "/kb/late-fees");
  expect(calls).toEqual([{ method: "GET", path: "/v1/kb/documents/late-fees", body: "" }]);
});

it("shows the API's message for an unknown document", async () => {
  mockFetch({});
  at("/kb/nothing-here");
  expect(await screen.findByRole("alert")).toHaveTextContent("no route GET /v1/kb/documents/nothing-here");
});

it("never turns document text into markup", async () => {
  mockFetch({ "GET /v1/kb/documents/late-fees": { body: { ...doc, version: 2, body: "<img src=x onerror=alert(1)> text" } } });
  const { container } = at("/kb/late-fees");
  expect(await screen.findByText("<img src=x onerror=alert(1)> text")).toBeInTheDocument();
  expect(container.querySelector("img")).toBeNull();
});
