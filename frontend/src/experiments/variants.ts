// UI experiment variants. The only source is the API's experiment assignment; the defaults are
// the control arms used until (or unless) the API assigns something else.
import { createContext, useContext } from "react";

export type Variants = {
  /** Where the advisor chat lives: a side panel on every page, or a floating button. */
  chat_layout: "panel" | "floating";
  /** How offers are presented: cards, or a table with one column per offer. */
  offer_presentation: "cards" | "table";
};

export const CONTROL: Variants = { chat_layout: "panel", offer_presentation: "cards" };

const ALLOWED: { [K in keyof Variants]: readonly Variants[K][] } = {
  chat_layout: ["panel", "floating"],
  offer_presentation: ["cards", "table"],
};

/** Read variants from an assignment response: {variants:{k:v}}, {k:v} or [{experiment, variant}]. */
export function variantsFrom(body: unknown): Variants {
  const out: Variants = { ...CONTROL };
  let pairs: [string, unknown][] = [];
  if (Array.isArray(body)) {
    pairs = body.map((a) => {
      const r = a as Record<string, unknown>;
      return [String(r.experiment ?? r.name ?? ""), r.variant];
    });
  } else if (body && typeof body === "object") {
    const r = body as Record<string, unknown>;
    const inner = r.variants ?? r.assignments ?? r;
    pairs = Array.isArray(inner) ? (variantsFromPairs(inner)) : Object.entries(inner as Record<string, unknown>);
  }
  for (const [k, v] of pairs) {
    const key = k as keyof Variants;
    if (key in ALLOWED && (ALLOWED[key] as readonly unknown[]).includes(v)) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

function variantsFromPairs(list: unknown[]): [string, unknown][] {
  return list.map((a) => {
    const r = a as Record<string, unknown>;
    return [String(r.experiment ?? r.name ?? ""), r.variant];
  });
}

export const VariantsContext = createContext<Variants>(CONTROL);
export const useVariants = () => useContext(VariantsContext);
