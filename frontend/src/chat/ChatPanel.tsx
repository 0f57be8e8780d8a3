// The advisor chat: a panel on every page and a full-screen page. Streams tokens, shows tool
// activity, inline offer cards and citations, and takes a thumbs up/down per reply.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Link } from "react-router-dom";
import { api, readProblem } from "../api/client";
import { rateReply } from "../api/endpoints";
import { reportOutcome } from "../experiments/events";
import { asOfferView, OfferCard } from "../offers/OfferCard";
import { citationHref, citationLabel } from "./citations";
import { toolLabel, useChat, type ChatMessage } from "./useChat";

type Thread = { thread_id: string; title: string };
const CURRENT_KEY = "loan-advisor.thread";

function useThreads() {
  const [threads, setThreads] = useState<Thread[]>([]);
  const [current, setCurrent] = useState<string | null>(() => localStorage.getItem(CURRENT_KEY));
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  // Threads created here while the list was loading must survive the list's arrival.
  const created = useRef<Thread[]>([]);

  useEffect(() => {
    void api.GET("/v1/threads").then(({ data, error: e }) => {
      setLoaded(true);
      if (e) return setError(readProblem(e).message);
      const listed = data ?? [];
      const all = [...created.current.filter((c) => !listed.some((t) => t.thread_id === c.thread_id)), ...listed];
      setThreads(all);
      setCurrent((cur) => (cur && all.some((t) => t.thread_id === cur) ? cur : (all[0]?.thread_id ?? null)));
    });
  }, []);

  useEffect(() => {
    if (current) localStorage.setItem(CURRENT_KEY, current);
  }, [current]);

  // The conversation being created, if any. A message typed while "New conversation" is on
  // its way belongs to that conversation: sending it to the old one (or making a second) let
  // the new thread's arrival abort the reply mid-stream, so the applicant saw nothing.
  const making = useRef<Promise<string | null> | null>(null);
  const create = (): Promise<string | null> => {
    making.current ??= (async () => {
      const { data, error: e } = await api.POST("/v1/threads", { body: { title: `Conversation ${new Date().toLocaleString("en-US")}` } });
      if (e || !data) {
        setError(readProblem(e).message);
        return null;
      }
      created.current = [data, ...created.current];
      setThreads((ts) => [data, ...ts]);
      setCurrent(data.thread_id);
      return data.thread_id;
    })().finally(() => {
      making.current = null;
    });
    return making.current;
  };
  const creating = () => making.current;
  // A turn may rename its thread (after the product it names, then its application): read the
  // titles again, keeping the list's order and any thread the list does not have yet.
  const refreshTitles = async () => {
    const { data } = await api.GET("/v1/threads").catch(() => ({ data: undefined }));
    if (!data) return;
    const titles = new Map(data.map((t) => [t.thread_id, t.title]));
    setThreads((ts) => ts.map((t) => ({ ...t, title: titles.get(t.thread_id) ?? t.title })));
  };
  // The remembered thread may belong to another account on this device: use it only once listed.
  return { threads, current: loaded || created.current.length ? current : null, setCurrent, create, creating, refreshTitles, error };
}

/** A thumb icon drawn inline (no emoji font needed); the button carries the text name. */
function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" style={{ transform: down ? "rotate(180deg)" : undefined }}>
      <path fill="currentColor" d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z" />
    </svg>
  );
}

function Reply({ m, threadId, cardLevel, onRetry }: { m: ChatMessage; threadId: string; cardLevel: 2 | 3; onRetry: () => void }) {
  const [rating, setRating] = useState<"up" | "down" | null>(null);
  const [note, setNote] = useState("");
  const rate = async (r: "up" | "down") => {
    setRating(r);
    if (!m.messageId) return;
    const saved = await rateReply(threadId, m.messageId, r);
    if (saved) reportOutcome(r === "up" ? "thumb_up" : "thumb_down"); // an experiment outcome too
    setNote(saved ? "Thanks for the feedback." : "Feedback could not be saved.");
  };
  const offers = m.offers.map(asOfferView).filter((o) => o !== null);
  // Offers made on an application open its Compare page; before one exists, the dashboard.
  const appId = m.offers.map((o) => o.application_id).find((v): v is string => typeof v === "string");
  const compareHref = appId ? `/applications/${encodeURIComponent(appId)}/compare` : "/dashboard";
  // Each source once, even when several passages of one document were cited.
  const sources = m.citations.filter((c, i, all) => all.findIndex((x) => (citationHref(x) ?? citationLabel(x)) === (citationHref(c) ?? citationLabel(c))) === i);
  return (
    <li className="msg assistant">
      <span className="visually-hidden">Advisor: </span>
      {m.tools.length > 0 && (
        <ul className="tool" aria-label="What the advisor did">
          {m.tools.map((t, i) => (
            <li key={i}>
              {toolLabel(t.name)} — {t.status === "running" ? "working…" : t.status === "error" ? "failed" : "done"}
            </li>
          ))}
        </ul>
      )}
      <div>{m.text || (m.pending ? "…" : "")}</div>
      {m.error && (
        <div className="row">
          <p className="error" role="alert" style={{ margin: 0 }}>{m.error} Your message is kept.</p>
          <button type="button" className="btn secondary" onClick={onRetry}>Try again</button>
        </div>
      )}
      {offers.length > 0 && (
        <div className="stack" style={{ marginTop: "0.5rem" }}>
          {offers.map((o, i) => (
            <OfferCard key={i} offer={o} headingLevel={cardLevel} />
          ))}
          <Link to={compareHref}>Compare and accept offers</Link>
        </div>
      )}
      {sources.length > 0 && (
        <div className="tool">
          <p style={{ margin: "0.4rem 0 0.2rem" }}>Sources from our lending policy:</p>
          <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
            {sources.map((c, i) => {
              // The cited version of the policy document, so the applicant can read what the advisor relied on.
              const href = citationHref(c);
              return <li key={i}>{href ? <Link to={href}>{citationLabel(c)}</Link> : citationLabel(c)}</li>;
            })}
          </ul>
        </div>
      )}
      {!m.pending && !m.error && m.text && m.messageId && (
        <div className="thumbs" role="group" aria-label="Rate this reply">
          <button type="button" aria-pressed={rating === "up"} onClick={() => void rate("up")}>
            <Thumb />
            <span className="visually-hidden">Helpful</span>
          </button>
          <button type="button" aria-pressed={rating === "down"} onClick={() => void rate("down")}>
            <Thumb down />
            <span className="visually-hidden">Not helpful</span>
          </button>
          <span className="tool" role="status">{note}</span>
        </div>
      )}
    </li>
  );
}

export function ChatPanel({ full = false, headingLevel = 2 }: { full?: boolean; headingLevel?: 1 | 2 }) {
  const { threads, current, setCurrent, create, creating, refreshTitles, error: threadError } = useThreads();
  const { messages, streaming, error, send, retry } = useChat(current);
  const [draft, setDraft] = useState("");
  const logRef = useRef<HTMLOListElement>(null);
  const ids = useId();
  const H = headingLevel === 1 ? "h1" : "h2";
  const lastReply = [...messages].reverse().find((m) => m.role === "assistant");

  useEffect(() => {
    logRef.current?.scrollTo?.({ top: logRef.current.scrollHeight });
  }, [messages]);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft("");
    const pending = creating() ?? (current ? null : create());
    if (pending) {
      const id = await pending;
      if (id) await send(text, id);
      else setDraft(text); // no conversation to send it to: the words stay in the box
    } else {
      await send(text);
    }
    await refreshTitles();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <section className={`card chat${full ? " full" : ""}`} aria-labelledby={`${ids}-h`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <H id={`${ids}-h`} style={{ margin: 0 }}>Loan advisor chat</H>
        {!full && <Link to="/chat">Open full screen</Link>}
      </div>
      <div className="row">
        <label htmlFor={`${ids}-thread`} className="visually-hidden">Conversation</label>
        <select id={`${ids}-thread`} value={current ?? ""} onChange={(e) => setCurrent(e.target.value || null)} style={{ flex: "1 1 12rem", minWidth: 0, width: "auto" }}>
          {!threads.length && <option value="">No conversations yet</option>}
          {threads.map((t) => (
            <option key={t.thread_id} value={t.thread_id}>{t.title}</option>
          ))}
        </select>
        <button type="button" className="btn secondary" onClick={() => void create()}>New conversation</button>
      </div>
      {(threadError || error) && <p className="error" role="alert">{threadError || error}</p>}
      <ol className="chat-log" ref={logRef} aria-label="Messages" aria-busy={streaming}>
        {messages.length === 0 && (
          <li className="muted">Ask about loan types, rates, what you can afford, or negotiate an offer.</li>
        )}
        {messages.map((m) =>
          m.role === "user" ? (
            <li key={m.id} className="msg user">
              <span className="visually-hidden">You: </span>
              {m.text}
            </li>
          ) : (
            <Reply key={m.id} m={m} threadId={current ?? ""} cardLevel={headingLevel === 1 ? 2 : 3} onRetry={() => retry(m.id)} />
          ),
        )}
      </ol>
      {/* Screen readers hear each finished reply once, not every streamed token. */}
      <div className="visually-hidden" aria-live="polite" role="status">
        {streaming ? "The advisor is replying." : lastReply && !lastReply.pending ? `Advisor: ${lastReply.text}` : ""}
      </div>
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`${ids}-input`} className="visually-hidden">Message the advisor</label>
        <textarea
          id={`${ids}-input`}
          rows={2}
          value={draft}
          maxLength={4000}
          placeholder="Type a message"
          aria-describedby={`${ids}-keys`}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
        />
        <button type="submit" className="btn" disabled={streaming || !draft.trim()}>Send</button>
      </form>
      <p id={`${ids}-keys`} className="tool keys-hint" style={{ margin: 0 }}>Enter sends; Shift+Enter starts a new line.</p>
    </section>
  );
}
