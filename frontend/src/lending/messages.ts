// Customer-facing text from the one message catalogue (lending/messages_v1.yaml, generated into
// messages.gen.json at build time): the same selection rules as lending/messages.py, so a
// decline reads the same on the page, in the API and in the chat.
import catalogue from "../api/messages.gen.json";
import type { components } from "../api/schema.gen";

type Decision = components["schemas"]["Decision"];
type Reason = Decision["reasons"][number];
type Outcome = Decision["outcome"];
type OutcomeText = { headline: string; lead: string; reasons_intro: string; show_rate: boolean };

const C = catalogue as unknown as {
  max_reasons: number;
  hidden_codes: string[];
  model_reasons_for: string[];
  outcomes: Record<string, OutcomeText>;
  reasons: Record<string, string>;
  statuses: Record<string, { label: string; next: string }>;
  plurals: Record<string, string>;
  documents: { provided: string; outstanding: string; remaining: string; all_in: string; manage: string };
};

/** How a required document's state reads ("Provided" / "Still needed"). */
export const documentState = (provided: boolean): string => (provided ? C.documents.provided : C.documents.outstanding);

/** How many of a conditional approval's documents are still needed, or that every one is in. */
export function documentsRemaining(left: number, total: number): string {
  return left === 0 ? C.documents.all_in : C.documents.remaining.replace("{left}", String(left)).replace("{total}", String(total));
}

/** The link label from My applications to where documents are uploaded or marked. */
export const documentsLink = (): string => C.documents.manage;

/** Sentence case without a trailing full stop. */
export function sentence(text: string): string {
  const t = text.trim().replace(/\.$/, "");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function money(v: string | null | undefined): string {
  const n = Number(v);
  if (v == null || !Number.isFinite(n)) return v ?? "";
  return new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", maximumFractionDigits: Number.isInteger(n) ? 0 : 2,
  }).format(n);
}

export function reasonText(r: Reason): string {
  const t = C.reasons[r.code];
  if (!t || (r.limit == null && t.includes("{limit"))) return sentence(r.message);
  return t
    .replaceAll("{limit_money}", money(r.limit))
    .replaceAll("{limit}", r.limit ?? "")
    .replaceAll("{actual}", r.actual ?? "");
}

/** The reasons an applicant sees: no tier or probability, no model reasons on an approval, at most four. */
export function customerReasons(d: Decision): string[] {
  const out: string[] = [];
  for (const r of d.reasons) {
    if (C.hidden_codes.includes(r.code)) continue;
    if (r.code === "MODEL_REASON" && !C.model_reasons_for.includes(d.outcome)) continue;
    const t = reasonText(r);
    if (!out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out.slice(0, C.max_reasons);
}

export function outcomeText(outcome: Outcome): OutcomeText {
  return C.outcomes[outcome] ?? { headline: sentence(outcome.replace(/_/g, " ")), lead: "", reasons_intro: "", show_rate: false };
}

export function statusText(status: string): { label: string; next: string } {
  return C.statuses[status] ?? { label: sentence(status.replace(/_/g, " ")), next: "" };
}

/** "1 dependent", "2 dependents". */
export function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : (C.plurals[word] ?? `${word}s`)}`;
}
