import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { axeViolations } from "../test/axe";
import { ChatPanel } from "./ChatPanel";

afterEach(() => vi.unstubAllGlobals());

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const thread = { thread_id: "thr_abcdefgh", title: "Car loan", created_at: "", updated_at: "" };

it("creates a thread for the first message, streams the reply and sends a thumb for that message", async () => {
  const posted: Record<string, unknown>[] = [];
  let replied = false;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([]);
    if (req.method === "POST" && path === "/v1/threads") return json(thread, 201);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`)
      return json({ ...thread, messages: replied ? [{ role: "user", content: "hi" }, { role: "assistant", content: "Hello there, how can I help?", message_id: "msg-42" }] : [] });
    if (req.method === "POST" && path === `/v1/chat/${thread.thread_id}`) {
      replied = true;
      const sse = ['event: token\r\ndata: {"text":"Hello there, "}\r\n\r\n', 'event: token\r\ndata: {"text":"how can I help?"}\r\n\r\n', 'event: done\r\ndata: {"text":"Hello there, how can I help?","versions":{}}\r\n\r\n'].join("");
      return new Response(sse, { headers: { "Content-Type": "text/event-stream" } });
    }
    if (req.method === "POST" && path === "/v1/feedback/messages") {
      posted.push((await req.json()) as Record<string, unknown>);
      return json({ feedback_id: "fb_1", rating: null, thumb: "up", created_at: "" }, 201);
    }
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  await screen.findByRole("option", { name: "No conversations yet" });
  await user.type(screen.getByLabelText("Message the advisor"), "hi{Enter}");
  const log = screen.getByRole("list", { name: "Messages" });
  expect(await within(log).findByText("Hello there, how can I help?")).toBeInTheDocument();
  // Screen readers get the finished reply once, from the polite live region.
  expect(screen.getAllByRole("status").map((s) => s.textContent)).toContain("Advisor: Hello there, how can I help?");
  expect(log).toHaveAttribute("aria-busy", "false");
  await user.click(await screen.findByRole("button", { name: "Helpful" }));
  expect(await screen.findByText("Thanks for the feedback.")).toBeInTheDocument();
  expect(posted).toEqual([{ thread_id: thread.thread_id, message_id: "msg-42", thumb: "up", comment: "" }]);
  expect(screen.getByRole("button", { name: "Helpful" })).toHaveAttribute("aria-pressed", "true");
});

it("shows offer cards from the offers event and links citations to the policy page", async () => {
  const offer = { offer_id: "off_1", product: "car", amount: "20000", tenure_months: 48, annual_rate_pct: "8.50", monthly_payment: "492.97", apr_pct: "8.90", total_cost: "23662.56", status: "open", application_id: "app_12345678" };
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([thread]);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`) return json({ ...thread, messages: [] });
    if (req.method === "POST" && path === `/v1/chat/${thread.thread_id}`) {
      const events: [string, unknown][] = [
        ["offers", { offers: [offer] }],
        ["citations", { passages: [1, 2].map((ref) => ({ ref, doc_id: "prepayment", version: 1, title: "Repayment and prepayment", section: "Early repayment", url: "/kb/prepayment#early-repayment" })) }],
        ["done", { text: "Here is your offer.", versions: {} }],
      ];
      return new Response(events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(""), { headers: { "Content-Type": "text/event-stream" } });
    }
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  const { container } = render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  await screen.findByRole("option", { name: "Car loan" });
  await user.type(screen.getByLabelText("Message the advisor"), "offers please{Enter}");
  const log = screen.getByRole("list", { name: "Messages" });
  expect(await within(log).findByText("Here is your offer.")).toBeInTheDocument();
  expect(within(log).getAllByText(/\$492\.97/).length).toBeGreaterThan(0);
  expect(within(log).getByRole("link", { name: "Repayment and prepayment — Early repayment (version 1)" })).toHaveAttribute(
    "href",
    "/kb/prepayment?version=1&section=early-repayment",
  );
  // Two passages of one document: the source is listed once.
  expect(within(log).getAllByRole("link", { name: /Repayment and prepayment/ })).toHaveLength(1);
  // Offer cards sit one level below the panel's h2 (axe heading-order) and open the application's Compare page.
  expect(within(log).getByRole("heading", { level: 3, name: "Offer" })).toBeInTheDocument();
  expect(within(log).getByRole("link", { name: "Compare and accept offers" })).toHaveAttribute("href", "/applications/app_12345678/compare");
  expect(await axeViolations(container)).toEqual([]);
});

it("reloads a conversation with its offer cards, sources and tool chips", async () => {
  const offer = { offer_id: "off_1", product: "car", amount: "18000", tenure_months: 48, annual_rate_pct: "8.50", monthly_payment: "443.67", apr_pct: "8.90", total_cost: "3296.16", status: "active", application_id: "app_12345678" };
  const titled = { ...thread, title: "Car loan, $18,000" };
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([titled]);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`)
      return json({ ...titled, messages: [
        { role: "user", content: "yes, submit it", message_id: "m1", tools: [], offers: [], citations: [] },
        { role: "tool", content: "{}", tool_name: "submit_application", message_id: "m2", tools: [], offers: [], citations: [] },
        { role: "assistant", content: "You are approved.", message_id: "m3", tools: [{ name: "submit_application", status: "success" }], offers: [offer],
          citations: [{ doc_id: "prepayment", version: 1, title: "Repayment and prepayment", section: "Early repayment", url: "/kb/prepayment#early-repayment" }] },
      ] });
    return json({ detail: "unexpected" }, 404);
  });
  const { container } = render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  expect(await screen.findByRole("option", { name: "Car loan, $18,000" })).toBeInTheDocument();
  const log = screen.getByRole("list", { name: "Messages" });
  expect(await within(log).findByText("You are approved.")).toBeInTheDocument();
  expect(within(log).getAllByText(/\$443\.67/).length).toBeGreaterThan(0);
  expect(within(log).getByText("Submitting your application — done")).toBeInTheDocument();
  expect(within(log).getByRole("link", { name: "Repayment and prepayment — Early repayment (version 1)" })).toBeInTheDocument();
  expect(within(log).getByRole("link", { name: "Compare and accept offers" })).toHaveAttribute("href", "/applications/app_12345678/compare");
  expect(within(log).queryByText("{}")).toBeNull(); // tool results are not messages
  expect(await axeViolations(container)).toEqual([]);
});

it("keeps the applicant's message when a turn fails and sends it again on Try again", async () => {
  const sent: string[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([thread]);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`) return json({ ...thread, messages: [] });
    if (req.method === "POST" && path === `/v1/chat/${thread.thread_id}`) {
      sent.push(((await req.json()) as { message: string }).message);
      const events: [string, unknown][] = sent.length === 1
        ? [["error", { detail: "The advisor could not reply just now." }]]
        : [["done", { text: "Here is the answer.", versions: {} }]];
      return new Response(events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(""), { headers: { "Content-Type": "text/event-stream" } });
    }
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  await screen.findByRole("option", { name: "Car loan" });
  await user.type(screen.getByLabelText("Message the advisor"), "can I repay early?{Enter}");
  const log = screen.getByRole("list", { name: "Messages" });
  expect(await within(log).findByRole("alert")).toHaveTextContent("The advisor could not reply just now. Your message is kept.");
  expect(within(log).getByText("can I repay early?")).toBeInTheDocument();
  await user.click(within(log).getByRole("button", { name: "Try again" }));
  expect(await within(log).findByText("Here is the answer.")).toBeInTheDocument();
  expect(sent).toEqual(["can I repay early?", "can I repay early?"]);
  expect(within(log).getAllByText("can I repay early?")).toHaveLength(1);
  expect(within(log).queryByRole("alert")).toBeNull();
});

it("offers Try again under a reloaded message whose reply never came, and shows it once after", async () => {
  const sent: string[] = [];
  const asked = { role: "user", content: "can I repay early?", message_id: "h2", tools: [], offers: [], citations: [] };
  const history = [
    { role: "user", content: "hi", message_id: "h1", tools: [], offers: [], citations: [] },
    { role: "assistant", content: "Hello!", message_id: "a1", tools: [], offers: [], citations: [] },
    asked,
  ];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([thread]);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`) return json({ ...thread, messages: history });
    if (req.method === "POST" && path === `/v1/chat/${thread.thread_id}`) {
      sent.push(((await req.json()) as { message: string }).message);
      return new Response(`event: done\ndata: ${JSON.stringify({ text: "Yes, with no penalty.", versions: {} })}\n\n`, { headers: { "Content-Type": "text/event-stream" } });
    }
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  const { container } = render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  const log = await screen.findByRole("list", { name: "Messages" });
  expect(await within(log).findByRole("alert")).toHaveTextContent("could not finish this reply");
  expect(await axeViolations(container)).toEqual([]);
  await user.click(within(log).getByRole("button", { name: "Try again" }));
  expect(await within(log).findByText("Yes, with no penalty.")).toBeInTheDocument();
  expect(sent).toEqual(["can I repay early?"]);
  expect(within(log).getAllByText("can I repay early?")).toHaveLength(1);
  expect(within(log).queryByRole("alert")).toBeNull();
});

it("shows the title the API gives a thread after a turn names its product", async () => {
  let title = "Conversation 1";
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([{ ...thread, title }]);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`) return json({ ...thread, title, messages: [] });
    if (req.method === "POST" && path === `/v1/chat/${thread.thread_id}`) {
      title = "Car loan question";
      return new Response(`event: done\ndata: ${JSON.stringify({ text: "Our car loans run 6 to 84 months.", versions: {} })}\n\n`, { headers: { "Content-Type": "text/event-stream" } });
    }
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  await screen.findByRole("option", { name: "Conversation 1" });
  await user.type(screen.getByLabelText("Message the advisor"), "how long can a car loan run?{Enter}");
  expect(await screen.findByRole("option", { name: "Car loan question" })).toBeInTheDocument();
  expect(screen.queryByRole("option", { name: "Conversation 1" })).toBeNull();
});

it("shows and announces only the replacement when the output guard abandons a streamed attempt", async () => {
  // The first attempt's passing clause streamed, then its invented figure was held back; the
  // correction arrives as `replace` carrying the whole reply, and `done` confirms it. The
  // stream is fed step by step so what is on screen between events is checked too.
  const reply = "Your payment would be $494.38 a month. Shall we apply?";
  let feed: ReadableStreamDefaultController<Uint8Array> | null = null;
  const emit = (e: string, d: unknown) => feed!.enqueue(new TextEncoder().encode(`event: ${e}\ndata: ${JSON.stringify(d)}\n\n`));
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([thread]);
    if (req.method === "GET" && path === `/v1/threads/${thread.thread_id}`) return json({ ...thread, messages: [] });
    if (req.method === "POST" && path === `/v1/chat/${thread.thread_id}`)
      return new Response(new ReadableStream<Uint8Array>({ start: (c) => void (feed = c) }), { headers: { "Content-Type": "text/event-stream" } });
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  const { container } = render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  await screen.findByRole("option", { name: "Car loan" });
  const live = container.querySelector('[aria-live="polite"]')!;
  const announced: string[] = [];
  const observer = new MutationObserver(() => announced.push(live.textContent ?? ""));
  observer.observe(live, { childList: true, characterData: true, subtree: true });
  await user.type(screen.getByLabelText("Message the advisor"), "car loan 20k over 4 years{Enter}");
  const log = screen.getByRole("list", { name: "Messages" });
  await vi.waitFor(() => expect(feed).not.toBeNull());
  emit("token", { text: "Sure thing. " });
  emit("token", { text: "Only " });
  expect(await within(log).findByText("Sure thing. Only")).toBeInTheDocument();
  emit("replace", { text: "Your payment would be $494.38 a month." });
  expect(await within(log).findByText("Your payment would be $494.38 a month.")).toBeInTheDocument();
  expect(within(log).queryByText(/Sure thing/)).toBeNull(); // replaced, not extended
  emit("token", { text: " Shall we apply?" });
  emit("done", { text: reply, versions: {} });
  feed!.close();
  expect(await within(log).findByText(reply)).toBeInTheDocument();
  await vi.waitFor(() => expect(live.textContent).toBe(`Advisor: ${reply}`));
  observer.disconnect();
  // Announced once, and never the abandoned attempt's words.
  expect(announced.filter((a) => a.startsWith("Advisor:"))).toEqual([`Advisor: ${reply}`]);
  expect(announced.some((a) => a.includes("Sure thing"))).toBe(false);
});

it("sends a message typed while a new conversation is being made to that conversation, once", async () => {
  // CI caught this on a slow machine: Enter pressed before POST /v1/threads answered sent the
  // message to the old thread, and the new thread's arrival then aborted its reply mid-stream.
  const fresh = { ...thread, thread_id: "thr_newnewnew", title: "Conversation 2" };
  const chats: string[] = [];
  let created = 0;
  let answer: (() => void) | null = null;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/v1/threads") return json([thread]);
    if (req.method === "POST" && path === "/v1/threads") {
      created += 1;
      await new Promise<void>((r) => void (answer = r));
      return json(fresh, 201);
    }
    if (req.method === "GET" && path.startsWith("/v1/threads/")) {
      const asked = path.endsWith(fresh.thread_id) && chats.length > 0;
      return json({ ...fresh, messages: asked ? [{ role: "user", content: "hi" }, { role: "assistant", content: "Hello again.", message_id: "msg-7" }] : [] });
    }
    if (req.method === "POST" && path.startsWith("/v1/chat/")) {
      chats.push(path);
      return new Response(`event: done\ndata: ${JSON.stringify({ text: "Hello again.", versions: {} })}\n\n`, { headers: { "Content-Type": "text/event-stream" } });
    }
    return json({ detail: "unexpected" }, 404);
  });
  const user = userEvent.setup();
  render(<MemoryRouter><ChatPanel /></MemoryRouter>);
  await screen.findByRole("option", { name: "Car loan" });
  await user.click(screen.getByRole("button", { name: "New conversation" }));
  await user.type(screen.getByLabelText("Message the advisor"), "hi{Enter}");
  await vi.waitFor(() => expect(answer).not.toBeNull());
  expect(chats).toEqual([]); // held until the new conversation exists
  answer!();
  const log = screen.getByRole("list", { name: "Messages" });
  expect(await within(log).findByText("Hello again.")).toBeInTheDocument();
  expect(await within(log).findByRole("group", { name: "Rate this reply" })).toBeInTheDocument();
  expect(chats).toEqual([`/v1/chat/${fresh.thread_id}`]);
  expect(created).toBe(1);
  expect(screen.getByRole("combobox", { name: "Conversation" })).toHaveValue(fresh.thread_id);
});
