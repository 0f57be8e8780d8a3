// Knowledge-base drafts started from a gap on the operations dashboard. A draft lives in this
// browser only (the KB service has versions, not drafts): nothing reaches the advisor until an
// editor publishes it from the KB editor and confirms. The text is ordinary KB Markdown, so the
// API validates it exactly as any other document when it is published.
import { toMarkdown } from "./kbMarkdown";

export type KbDraft = { id: string; title: string; topic: string; text: string; saved_at: string };
/** What the dashboard hands the editor: a gap topic and the questions it groups. */
export type GapSeed = { label: string; examples: string[]; why: string[] };

const KEY = "loan-advisor.kb-drafts";
const CHECKBOX = /^- \[ \] /gm;

/** A document id the KB accepts (lower-case letters, digits, '-'), from the topic's words. */
export function draftId(label: string): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 70);
  return slug.length >= 2 ? slug : `topic-${slug || "misc"}`;
}

/** "repay / early / fee" → "Repay / early / fee". */
const titleOf = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

/** The draft's first text: title from the topic, its questions as a checklist to answer. */
export function gapDraft(seed: GapSeed, today = new Date()): KbDraft {
  const id = draftId(seed.label);
  const title = titleOf(seed.label);
  const checklist = seed.examples.map((q) => `- [ ] ${q.replace(/\s+/g, " ").trim()}`).join("\n");
  const body = [
    `# ${title}`,
    "",
    `Applicants asked about this and the knowledge base answered poorly (${seed.why.join("; ") || "gap"}).`,
    "The document must answer each question below; tick it ([x]) once the text does.",
    "",
    "## What this document must answer",
    checklist || "- [ ] (no example questions recorded)",
    "",
    "## Policy",
    "",
    "Write the policy here.",
  ].join("\n");
  const text = toMarkdown({ doc_id: id, title, products: ["personal"], effective_date: today.toISOString().slice(0, 10), version: 1, body });
  return { id, title, topic: seed.label, text, saved_at: today.toISOString() };
}

/** How many checklist questions the text still leaves unticked. */
export const openQuestions = (text: string) => (text.match(CHECKBOX) ?? []).length;

function readAll(): Record<string, KbDraft> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, KbDraft>;
  } catch {
    return {}; // a damaged entry must not lock the editor out; it is replaced on the next save
  }
}

export const listDrafts = (): KbDraft[] => Object.values(readAll()).sort((a, b) => b.saved_at.localeCompare(a.saved_at));
export const getDraft = (id: string): KbDraft | null => readAll()[id] ?? null;

export function saveDraft(draft: KbDraft): KbDraft {
  const saved = { ...draft, saved_at: new Date().toISOString() };
  localStorage.setItem(KEY, JSON.stringify({ ...readAll(), [draft.id]: saved }));
  return saved;
}

export function deleteDraft(id: string): void {
  const { [id]: _gone, ...rest } = readAll();
  localStorage.setItem(KEY, JSON.stringify(rest));
}
