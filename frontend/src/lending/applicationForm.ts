// The application form's fields, steps and validation. Bounds come from lending/bounds.ts.
import { applicantBounds, loanBounds, products, type Bounds } from "./bounds";
import { money } from "./format";

export type FieldKind = "int" | "money" | "choice";
export type FieldSpec = {
  name: string;
  label: string;
  kind: FieldKind;
  group: "applicant" | "loan";
  hint?: string;
  optionalLabel?: string;
};

export const STEPS: { title: string; fields: FieldSpec[] }[] = [
  {
    title: "About you",
    fields: [
      { name: "age", label: "Age", kind: "int", group: "applicant", hint: "In years. Used only to check you are old enough to borrow." },
      { name: "num_dependents", label: "Dependents", kind: "int", group: "applicant", hint: "People who rely on your income." },
      { name: "education_level", label: "Highest education", kind: "choice", group: "applicant" },
      { name: "marital_status", label: "Marital status", kind: "choice", group: "applicant", optionalLabel: "Prefer not to say", hint: "Optional. Never used to decide." },
    ],
  },
  {
    title: "Work and income",
    fields: [
      { name: "employment_status", label: "Employment status", kind: "choice", group: "applicant" },
      { name: "years_employed", label: "Years in current job", kind: "int", group: "applicant" },
      { name: "annual_income", label: "Annual income (USD, before tax)", kind: "money", group: "applicant" },
      { name: "monthly_debt_payments", label: "Monthly debt payments (USD)", kind: "money", group: "applicant", hint: "What you already pay each month on other loans and cards." },
      { name: "existing_loans", label: "Open loans", kind: "int", group: "applicant" },
    ],
  },
  {
    title: "Savings and credit",
    fields: [
      { name: "credit_score", label: "Credit score", kind: "int", group: "applicant", hint: "Optional. If you leave it empty, a loan officer reviews your credit history before we decide." },
      { name: "savings_balance", label: "Savings balance (USD)", kind: "money", group: "applicant" },
      { name: "checking_balance", label: "Checking balance (USD)", kind: "money", group: "applicant" },
      { name: "home_ownership", label: "Home", kind: "choice", group: "applicant" },
    ],
  },
  {
    title: "Your loan",
    fields: [
      { name: "product", label: "Loan type", kind: "choice", group: "loan" },
      { name: "amount", label: "Amount (USD)", kind: "money", group: "loan" },
      { name: "tenure_months", label: "Term (months)", kind: "int", group: "loan" },
      { name: "gold_value", label: "Market value of the gold you pledge (USD)", kind: "money", group: "loan" },
    ],
  },
];

export const ALL_FIELDS = STEPS.flatMap((s) => s.fields);
export type FormValues = Record<string, string>;

export function boundsFor(f: FieldSpec): Bounds {
  return f.group === "applicant" ? applicantBounds(f.name) : loanBounds(f.name);
}

/** Options for a choice field (product labels come from the policy). */
export function optionsFor(f: FieldSpec): { value: string; label: string }[] {
  if (f.name === "product") {
    return Object.entries(products()).map(([value, p]) => ({ value, label: p.label }));
  }
  return (boundsFor(f).options ?? []).map((o) => ({ value: o, label: o }));
}

/** Whether a field applies to the current answers (gold value only for gold loans). */
export function isVisible(f: FieldSpec, v: FormValues): boolean {
  return f.name !== "gold_value" || v.product === "gold";
}

function isOptional(b: Bounds): boolean {
  return !b.required || b.nullable;
}

/** Return a message a person can act on, or undefined when the value is acceptable. */
/** Read a number as people type it: "$18,000", "18k", "1.5m" (money and counts alike). */
export function parseAmount(raw: string): number {
  const m = /^\$?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([km])?$/i.exec(raw.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]!.replace(/,/g, ""));
  const scale = m[2]?.toLowerCase() === "k" ? 1000 : m[2]?.toLowerCase() === "m" ? 1_000_000 : 1;
  // A suffix can leave float dust (1.1 * 1000); plain input stays exact so the cents check sees it.
  return scale === 1 ? n : Math.round(n * scale * 100) / 100;
}

export function validateField(f: FieldSpec, values: FormValues): string | undefined {
  if (!isVisible(f, values)) return undefined;
  const raw = (values[f.name] ?? "").trim();
  const b = boundsFor(f);
  if (raw === "") {
    if (f.name === "gold_value" && values.product === "gold") return "Enter the value of the gold you pledge.";
    return isOptional(b) ? undefined : `${f.label.replace(/ \(.*\)$/, "")} is required.`;
  }
  if (f.kind === "choice") {
    const opts = optionsFor(f).map((o) => o.value);
    return opts.length && !opts.includes(raw) ? "Choose one of the options." : undefined;
  }
  const n = f.kind === "money" ? parseAmount(raw) : Number(raw.replace(/,/g, ""));
  if (!Number.isFinite(n)) return f.kind === "money" ? "Enter an amount in dollars, for example 18,000 or 18k." : "Enter a number.";
  if (f.kind === "int" && !Number.isInteger(n)) return "Enter a whole number.";
  if (f.kind === "money" && Math.round(n * 100) !== n * 100) return "Use at most two decimals (cents).";
  let { min, max } = b;
  const fmt = (x: number) => (f.kind === "money" ? money(x, false) : String(x));
  // Product policy narrows the API's generic amount/term bounds.
  const p = values.product ? products()[values.product] : undefined;
  if (p && f.name === "amount") [min, max] = [p.amount.min, p.amount.max];
  if (p && f.name === "tenure_months") [min, max] = [p.tenure_months.min, p.tenure_months.max];
  if (b.exclusiveMin !== undefined && n <= b.exclusiveMin) return `Must be more than ${fmt(b.exclusiveMin)}.`;
  if (b.exclusiveMax !== undefined && n >= b.exclusiveMax) return `Must be less than ${fmt(b.exclusiveMax)}.`;
  if (min !== undefined && max !== undefined && (n < min || n > max)) {
    // "Term must be between 6 and 84 months for a car loan", as the API's message catalogue says it.
    if (p && (f.name === "amount" || f.name === "tenure_months")) {
      const unit = f.name === "tenure_months" ? " months" : "";
      return `${f.label.replace(/ \(.*\)$/, "")} must be between ${fmt(min)} and ${fmt(max)}${unit} for a ${p.label.toLowerCase()}.`;
    }
    return `Must be between ${fmt(min)} and ${fmt(max)}.`;
  }
  if (min !== undefined && n < min) return `Must be at least ${fmt(min)}.`;
  if (max !== undefined && n > max) return `Must be at most ${fmt(max)}.`;
  return undefined;
}

export function validateStep(step: number, values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of STEPS[step]?.fields ?? []) {
    const e = validateField(f, values);
    if (e) errors[f.name] = e;
  }
  return errors;
}

/** Turn the form's strings into the API body: money as decimal strings, counts as integers. */
export function toPayload(values: FormValues): { profile: Record<string, unknown>; request: Record<string, unknown> } {
  const profile: Record<string, unknown> = {};
  const request: Record<string, unknown> = {};
  for (const f of ALL_FIELDS) {
    if (!isVisible(f, values)) continue;
    const raw = (values[f.name] ?? "").trim().replace(/,/g, "");
    const target = f.group === "applicant" ? profile : request;
    if (raw === "") {
      if (boundsFor(f).nullable) target[f.name] = null;
      continue;
    }
    target[f.name] = f.kind === "int" ? Number.parseInt(raw, 10) : f.kind === "money" ? String(parseAmount(raw)) : raw;
  }
  return { profile, request };
}

const DRAFT_KEY = "loan-advisor.application-draft.v1";

/** Save the draft (values and step) so an applicant can resume later on this device. */
export function saveDraft(values: FormValues, step: number): void {
  localStorage.setItem(DRAFT_KEY, JSON.stringify({ values, step, saved_at: new Date().toISOString() }));
}

export function loadDraft(): { values: FormValues; step: number } | null {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? "null") as { values: FormValues; step: number } | null;
    return d && typeof d.values === "object" ? { values: d.values, step: Number(d.step) || 0 } : null;
  } catch {
    return null;
  }
}

export function clearDraft(): void {
  localStorage.removeItem(DRAFT_KEY);
}
