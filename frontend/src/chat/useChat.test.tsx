import { act, renderHook, waitFor } from "@testing-library/react";
import { citationHref } from "./citations";
import { useChat } from "./useChat";

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
    // The raw tool result is not read for offers: the API's `offers` event is the source.
    ["tool_end", { name: "make_offers", status: "success", result: { offers: [{ amount: "999", offer_id: "raw" }] } }],
    ["token", { text: "Your " }],
    ["token", { text: "offers" }],
    ["offers", { offers: [{ amount: "1000", tenure_months: 12, annual_rate_pct: "10", monthly_payment: "87.92" }] }],
    ["citations", { passages: [{ title: "Car loans", url: "/kb/car#rates" }] }],
    ["citations", { passages: [{ title: "Car loans", url: "/kb/car#rates" }, { doc_id: "fees", version: 2, url: "/kb/fees#late" }] }],
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
  expect(reply.offers).toEqual([{ amount: "1000", tenure_months: 12, annual_rate_pct: "10", monthly_payment: "87.92" }]);
  expect(reply.citations.map((c) => c.url)).toEqual(["/kb/car#rates", "/kb/fees#late"]);
  expect(result.current.messages[0]).toMatchObject({ role: "user", text: "show me offers" });
  vi.unstubAllGlobals();
});

describe("citationHref", () => {
  it("links the cited version and section of the knowledge-base page", () => {
    expect(citationHref({ doc_id: "late-fees", version: 2, url: "/kb/late-fees#grace-period" })).toBe("/kb/late-fees?version=2&section=grace-period");
    expect(citationHref({ url: "/kb/prepayment" })).toBe("/kb/prepayment");
    expect(citationHref({ title: "No link" })).toBeNull();
  });
});

it("sends the token source's refreshed token with the chat stream, not the stored one", async () => {
  const { setToken, setTokenSource } = await import("../api/client");
  setToken("expired-token");
  setTokenSource(async () => "refreshed-token");
  const seen: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url.includes("/v1/chat/")) {
        seen.push(new Headers(init?.headers).get("Authorization") ?? "");
        return sseResponse('event: done\r\ndata: {"text":"ok","versions":{}}\r\n\r\n');
      }
      return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  const { result } = renderHook(() => useChat("thr_1"));
  await act(async () => {
    await result.current.send("hello");
  });
  await waitFor(() => expect(result.current.streaming).toBe(false));
  expect(seen).toEqual(["Bearer refreshed-token"]);
  setTokenSource(null);
  setToken(null);
  vi.unstubAllGlobals();
});

it("replaces the streamed text when the output guard corrects the reply", async () => {
  // The guard held back a clause with an invented figure; the corrected reply replaces
  // everything streamed so far, and later tokens (after a tool call) extend the replacement.
  const events = [
    ["token", { text: "Good news. " }],
    ["token", { text: "Only " }],
    ["replace", { text: "Your payment would be $494.38 a month." }],
    ["token", { text: " Shall we apply?" }],
  ];
  const body = events.map(([e, d]) => `event: ${e}\r\ndata: ${JSON.stringify(d)}\r\n\r\n`).join("");
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url.includes("/v1/chat/")) return sseResponse(body);
      return new Response(JSON.stringify({ thread_id: "thr_1", title: "t", created_at: "", updated_at: "", messages: [] }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  const { result } = renderHook(() => useChat("thr_1"));
  await act(async () => {
    await result.current.send("car loan 20k over 4 years");
  });
  await waitFor(() => expect(result.current.streaming).toBe(false));
  expect(result.current.messages.at(-1)!.text).toBe("Your payment would be $494.38 a month. Shall we apply?");
  vi.unstubAllGlobals();
});

it("shows the done text when it differs from what was streamed (a replaced reply)", async () => {
  const events = [
    ["token", { text: "Only " }],
    ["replace", { text: "" }],
    ["done", { text: "I couldn't verify the figures for that reply, so I won't guess.", versions: {} }],
  ];
  const body = events.map(([e, d]) => `event: ${e}\r\ndata: ${JSON.stringify(d)}\r\n\r\n`).join("");
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url.includes("/v1/chat/")) return sseResponse(body);
      return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  const { result } = renderHook(() => useChat("thr_1"));
  await act(async () => {
    await result.current.send("hello");
  });
  await waitFor(() => expect(result.current.streaming).toBe(false));
  expect(result.current.messages.at(-1)!.text).toBe("I couldn't verify the figures for that reply, so I won't guess.");
  vi.unstubAllGlobals();
});

it("leaves only the replacement when a replace follows streamed tokens and done confirms it", async () => {
  const events = [
    ["token", { text: "Sure thing. " }],
    ["token", { text: "Only " }],
    ["replace", { text: "Your payment would be $494.38 a month." }],
    ["done", { text: "Your payment would be $494.38 a month.", versions: {} }],
  ];
  const body = events.map(([e, d]) => `event: ${e}\r\ndata: ${JSON.stringify(d)}\r\n\r\n`).join("");
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (url.includes("/v1/chat/")) return sseResponse(body);
      return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
  const { result } = renderHook(() => useChat("thr_1"));
  await act(async () => {
    await result.current.send("car loan 20k over 4 years");
  });
  await waitFor(() => expect(result.current.streaming).toBe(false));
  const reply = result.current.messages.at(-1)!;
  expect(reply.text).toBe("Your payment would be $494.38 a month.");
  expect(reply.pending).toBe(false);
  vi.unstubAllGlobals();
});
