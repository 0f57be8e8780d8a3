// Chat state for one thread: history, a streamed reply, tool activity, offers and citations.
import { useCallback, useEffect, useRef, useState } from "react";
import { api, freshToken, readProblem } from "../api/client";
import type { Citation } from "./citations";
import { streamSse } from "./sse";

export type { Citation } from "./citations";
export type ToolActivity = { name: string; status: "running" | "success" | "error" };
export type ChatOffer = Record<string, unknown>;
export type ChatMessage = {
  id: string;
  role: "user" | "assistant";
  text: string;
  tools: ToolActivity[];
  offers: ChatOffer[];
  citations: Citation[];
  pending?: boolean;
  error?: string;
  /** The API's id for this message (what thumbs up/down attach to). */
  messageId?: string | null;
};

const TOOL_LABELS: Record<string, string> = {
  score_applicant: "Checking your credit risk",
  search_policy: "Looking up the lending policy",
  make_offers: "Preparing offers",
  negotiate_offer: "Trying other terms",
  explain_decision: "Explaining the decision",
  compare_offers: "Comparing offers",
  submit_application: "Submitting your application",
  application_status: "Checking your application",
  provide_document: "Noting your document",
  quote_loan: "Pricing a loan",
};

export function toolLabel(name: string): string {
  return TOOL_LABELS[name] ?? name.replace(/_/g, " ");
}

// Said under a message whose reply never came (the API's words for a failed turn).
const UNANSWERED = "The advisor could not finish this reply; please retry.";

let seq = 0;
const nextId = () => `m${Date.now()}-${seq++}`;

export function useChat(threadId: string | null) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  // A thread created by send() has no history to load, and its first exchange must not be wiped.
  const fresh = useRef<string | null>(null);

  useEffect(() => {
    if (threadId && threadId === fresh.current) return;
    setMessages([]);
    if (!threadId) return;
    let live = true;
    void api.GET("/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } } }).then(({ data, error: e }) => {
      if (!live) return;
      if (e) return setError(readProblem(e).message);
      const history: ChatMessage[] = (data?.messages ?? [])
        .filter((m) => m.role === "user" || m.role === "assistant")
        // A reply comes back with the cards it streamed: tool chips, offers and citations.
        .map((m) => ({
          id: nextId(), role: m.role as "user" | "assistant", text: m.content, messageId: m.message_id,
          tools: (m.tools ?? []) as ToolActivity[], offers: (m.offers ?? []) as ChatOffer[], citations: (m.citations ?? []) as Citation[],
        }));
      // A turn that failed before its reply left the applicant's message last: show it as
      // failed, so "Try again" resends it (the API forgets the reply-less turn on resend).
      if (history.at(-1)?.role === "user") {
        history.push({ id: nextId(), role: "assistant", text: "", tools: [], offers: [], citations: [], error: UNANSWERED });
      }
      // A message sent before the history arrived stays after it.
      setMessages((ms) => [...history, ...ms]);
    });
    return () => {
      live = false;
      abort.current?.abort();
    };
  }, [threadId]);

  const send = useCallback(
    async (text: string, newThreadId?: string) => {
      const tid = newThreadId ?? threadId;
      if (!tid || !text.trim() || streaming) return;
      if (newThreadId) {
        fresh.current = newThreadId;
        setMessages([]);
      }
      setError(null);
      const reply: ChatMessage = { id: nextId(), role: "assistant", text: "", tools: [], offers: [], citations: [], pending: true };
      setMessages((ms) => [...ms, { id: nextId(), role: "user", text, tools: [], offers: [], citations: [] }, reply]);
      const update = (f: (m: ChatMessage) => ChatMessage) =>
        setMessages((ms) => ms.map((m) => (m.id === reply.id ? f(m) : m)));
      setStreaming(true);
      abort.current = new AbortController();
      try {
        // The stream is a plain fetch, not the API client: ask for a refreshed token here too,
        // or an expired Cognito token would get a 401 mid-conversation.
        const token = await freshToken();
        await streamSse(
          `/v1/chat/${encodeURIComponent(tid)}`,
          { message: text },
          token ? { Authorization: `Bearer ${token}` } : {},
          ({ event, data }) => {
            let d: Record<string, unknown> = {};
            try {
              d = JSON.parse(data) as Record<string, unknown>;
            } catch {
              return;
            }
            switch (event) {
              case "token":
                update((m) => ({ ...m, text: m.text + String(d.text ?? "") }));
                break;
              case "replace":
                update((m) => ({ ...m, text: String(d.text ?? "") }));
                break;
              case "tool_start":
                update((m) => ({ ...m, tools: [...m.tools, { name: String(d.name), status: "running" }] }));
                break;
              case "tool_end":
                update((m) => {
                  const i = m.tools.findIndex((t) => t.name === d.name && t.status === "running");
                  const status = d.status === "error" ? "error" : "success";
                  const tools = i < 0 ? [...m.tools, { name: String(d.name), status }] : m.tools.map((t, j) => (j === i ? { ...t, status } : t));
                  return { ...m, tools: tools as ToolActivity[] };
                });
                break;
              // Offers and citations come from the API's own reading of the tool results (the
              // agent's record_results step), so the UI never re-interprets raw tool output.
              case "offers":
                update((m) => ({ ...m, offers: Array.isArray(d.offers) ? (d.offers as ChatOffer[]) : m.offers }));
                break;
              case "citations":
                update((m) => {
                  const passages = Array.isArray(d.passages) ? (d.passages as Citation[]) : [];
                  // Several searches in one reply: keep each cited passage once.
                  const all = [...m.citations, ...passages];
                  return { ...m, citations: all.filter((c, k) => all.findIndex((x) => (x.url ?? x.title) === (c.url ?? c.title)) === k) };
                });
                break;
              case "done":
                update((m) => ({ ...m, text: typeof d.text === "string" && d.text ? d.text : m.text, pending: false }));
                break;
              case "error":
                update((m) => ({ ...m, pending: false, error: String(d.detail ?? "The advisor could not reply.") }));
                break;
            }
          },
          abort.current.signal,
        );
      } catch (e) {
        if ((e as Error).name !== "AbortError") update((m) => ({ ...m, pending: false, error: (e as Error).message }));
      } finally {
        update((m) => ({ ...m, pending: false }));
        setStreaming(false);
      }
      // The stream does not carry the stored message's id; read it back for per-reply feedback.
      const { data } = await api.GET("/v1/threads/{thread_id}", { params: { path: { thread_id: tid } } }).catch(() => ({ data: undefined }));
      const last = [...(data?.messages ?? [])].reverse().find((m) => m.role === "assistant");
      if (last?.message_id) update((m) => ({ ...m, messageId: last.message_id }));
    },
    [threadId, streaming],
  );

  /** Send a failed turn's message again: the failed pair is replaced by the new attempt. */
  const retry = useCallback(
    (replyId: string) => {
      const i = messages.findIndex((m) => m.id === replyId);
      const asked = i > 0 ? messages[i - 1] : undefined;
      if (!asked || asked.role !== "user" || streaming) return;
      setMessages((ms) => ms.filter((m) => m.id !== replyId && m.id !== asked.id));
      void send(asked.text);
    },
    [messages, send, streaming],
  );

  return { messages, streaming, error, send, retry };
}
