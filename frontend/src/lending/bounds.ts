// Field bounds read from the generated schema dump (the API's own pydantic models), so the form
// validates with exactly the limits the API enforces; only labels and hints are written here.
import generated from "../api/bounds.gen.json";

type JsonSchema = {
  type?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: string[];
  const?: string;
  anyOf?: JsonSchema[];
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $defs?: Record<string, JsonSchema>;
};

export type Bounds = {
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
  options?: string[];
  required: boolean;
  nullable: boolean;
};

export type ProductPolicy = {
  label: string;
  amount: { min: number; max: number };
  tenure_months: { min: number; max: number };
  annual_rate_pct: { min: number; max: number };
  documents: string[];
};

type Dump = {
  ApplicantProfile: JsonSchema | null;
  LoanRequest: JsonSchema | null;
  policy: { version: string; products: Record<string, Record<string, unknown>> };
};
const dump = generated as unknown as Dump;

function resolveRef(root: JsonSchema, s: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.split("/").pop() ?? "";
  return root.$defs?.[name] ?? s;
}

/** Merge a property schema (possibly anyOf [number, string-pattern, null]) into one Bounds. */
export function boundsOf(root: JsonSchema | null, field: string): Bounds {
  const prop = root?.properties?.[field];
  const b: Bounds = { required: !!root?.required?.includes(field), nullable: false };
  if (!prop || !root) return b;
  const parts = prop.anyOf ? prop.anyOf.map((p) => resolveRef(root, p)) : [resolveRef(root, prop)];
  for (const p of parts) {
    if (p.type === "null") b.nullable = true;
    if (p.minimum !== undefined) b.min = p.minimum;
    if (p.maximum !== undefined) b.max = p.maximum;
    if (p.exclusiveMinimum !== undefined) b.exclusiveMin = p.exclusiveMinimum;
    if (p.exclusiveMaximum !== undefined) b.exclusiveMax = p.exclusiveMaximum;
    if (p.enum) b.options = p.enum;
    if (p.const !== undefined) b.options = [...(b.options ?? []), p.const];
  }
  return b;
}

export const applicantBounds = (field: string) => boundsOf(dump.ApplicantProfile, field);
export const loanBounds = (field: string) => boundsOf(dump.LoanRequest, field);

const num = (v: unknown) => Number(v);

/** Product limits from the versioned policy (amount and tenure ranges, rate band, documents). */
export function products(): Record<string, ProductPolicy> {
  const out: Record<string, ProductPolicy> = {};
  for (const [name, spec] of Object.entries(dump.policy.products)) {
    const s = spec as Record<string, Record<string, unknown> | string | string[]>;
    const rng = (k: string) => {
      const r = (s[k] ?? {}) as Record<string, unknown>;
      return { min: num(r.min), max: num(r.max) };
    };
    out[name] = {
      label: String(s.label ?? name),
      amount: rng("amount"),
      tenure_months: rng("tenure_months"),
      annual_rate_pct: rng("annual_rate_pct"),
      documents: Array.isArray(s.documents) ? (s.documents as string[]) : [],
    };
  }
  return out;
}

export const policyVersion = dump.policy.version;
