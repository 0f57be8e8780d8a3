import { act, renderHook, waitFor } from "@testing-library/react";
import { fromToolResult, useChat } from "./useChat";

function sseResponse(body: string): Response {
  const enc = new TextEncoder();
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < body.length; i += 11) c.enqueue(enc.encode(body.slice(i, i + 11)));
      c.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

it("streams tokens, tool activity, offers and the final text into one reply", async () => {
  const events = [
    ["tool_start", { name: "make_offers", args: {} }],
    ["tool_end", { name: "make_offers", status: "success", result: {} }],
    ["token", { text: "Your " }],
    ["token", { text: "offers" }],
    ["offers", { offers: [{ amount: "1000", tenure_months: 12, annual_rate_pct: "10", monthly_payment: "87.92" }] }],
    ["citations", { passages: [{ title: "Car loans", url: "/kb/car#rates" }] }],
    ["done", { text: "Your offers are ready.", versions: {} }],
  ];
  const body = events.map(([e, d]) => `event: ${e}\r\ndata: ${JSON.stringify(d)}\r\n\r\n`).join("");
  const fetchMock = vi.fn(async (input: RequestInfo | URL) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.includes("/v1/chat/")) return sseResponse(body);
    return new Response(JSON.stringify({ thread_id: "thr_1", title: "t", created_at: "", updated_at: "", messages: [] }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  const { result } = renderHook(() => useChat("thr_1"));
  await act(async () => {
    await result.current.send("show me offers");
  });
  await waitFor(() => expect(result.current.streaming).toBe(false));
  const reply = result.current.messages.at(-1)!;
  expect(reply.text).toBe("Your offers are ready.");
  expect(reply.tools).toEqual([{ name: "make_offers", status: "success" }]);
  expect(reply.offers).toHaveLength(1);
  expect(reply.citations[0]?.url).toBe("/kb/car#rates");
  expect(result.current.messages[0]).toMatchObject({ role: "user", text: "show me offers" });
  vi.unstubAllGlobals();
});

describe("fromToolResult", () => {
  it("finds offers in offer lists and negotiation results, and passages as citations", () => {
    expect(fromToolResult({ offers: [{ amount: "1" }, { amount: "2" }] }).offers).toHaveLength(2);
    expect(fromToolResult({ met: false, offer: null, alternative: { amount: "3" } }).offers).toEqual([{ amount: "3" }]);
    expect(fromToolResult({ passages: [{ title: "Fees", url: "/kb/fees#late" }] }).citations[0]?.url).toBe("/kb/fees#late");
    expect(fromToolResult("plain text")).toEqual({ offers: [], citations: [] });
  });
});
