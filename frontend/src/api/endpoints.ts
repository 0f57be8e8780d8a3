// Domain calls the pages make. Each goes through the generated, typed client (`api`); the few
// endpoints that the API had not published when this was written go through `loose` and are
// listed in docs/frontend.md, so they switch to typed calls as soon as the schema has them.
import type { Client } from "openapi-fetch";
import { api, readProblem, setToken } from "./client";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const loose = api as unknown as Client<any>;

export type Result<T> = { ok: true; data: T } | { ok: false; message: string; fields: Record<string, string>; status: number };

async function call<T>(p: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Result<T>> {
  try {
    const { data, error, response } = await p;
    if (error !== undefined || !response.ok) return { ok: false, status: response.status, ...readProblem(error) };
    return { ok: true, data: data as T };
  } catch {
    return { ok: false, status: 0, message: "The service cannot be reached. Check your connection and retry.", fields: {} };
  }
}

// ---- auth (local identity provider) ----
export async function signUp(email: string, password: string): Promise<Result<{ access_token: string }>> {
  const r = await call<{ access_token: string }>(loose.POST("/v1/auth/signup", { body: { email, password } }));
  if (r.ok) setToken(r.data.access_token);
  return r;
}

export async function signIn(email: string, password: string): Promise<Result<{ access_token: string }>> {
  const r = await call<{ access_token: string }>(loose.POST("/v1/auth/login", { body: { email, password } }));
  if (r.ok) setToken(r.data.access_token);
  return r;
}

// ---- applications ----
export type Money = string | number;
export type ReasonView = { code?: string; message?: string; text?: string };
export type DecisionView = {
  outcome: string;
  reasons: (ReasonView | string)[];
  required_documents?: string[];
  risk_tier?: string;
  annual_rate_pct?: Money;
  monthly_payment?: Money;
  dti_pct?: Money;
  max_dti_pct?: Money;
};
export type ApplicationView = {
  application_id: string;
  status: string;
  product?: string;
  amount?: Money;
  tenure_months?: number;
  created_at?: string;
  updated_at?: string;
  decision?: DecisionView | null;
  loan?: { product: string; amount: Money; tenure_months: number };
};
export type StatusEvent = { status: string; at?: string; created_at?: string; note?: string | null };

export const submitApplication = (body: { applicant: Record<string, unknown>; loan: Record<string, unknown> }, idempotencyKey: string) =>
  call<ApplicationView>(loose.POST("/v1/applications", { body, headers: { "Idempotency-Key": idempotencyKey } }));
export const listApplications = () => call<ApplicationView[]>(loose.GET("/v1/applications", {}));
export const getApplication = (id: string) =>
  call<ApplicationView>(loose.GET("/v1/applications/{application_id}", { params: { path: { application_id: id } } }));
export const getHistory = (id: string) =>
  call<StatusEvent[]>(loose.GET("/v1/applications/{application_id}/history", { params: { path: { application_id: id } } }));
export const getDecision = (id: string) =>
  call<DecisionView>(loose.GET("/v1/applications/{application_id}/decision", { params: { path: { application_id: id } } }));
export const withdrawApplication = (id: string) =>
  call<ApplicationView>(loose.POST("/v1/applications/{application_id}/withdraw", { params: { path: { application_id: id } } }));

export type DocumentView = { document_id: string; filename: string; content_type?: string; size?: number; uploaded_at?: string; created_at?: string };
export const listDocuments = (id: string) =>
  call<DocumentView[]>(loose.GET("/v1/applications/{application_id}/documents", { params: { path: { application_id: id } } }));
export function uploadDocument(id: string, file: File): Promise<Result<DocumentView>> {
  const form = new FormData();
  form.append("file", file);
  return call<DocumentView>(
    loose.POST("/v1/applications/{application_id}/documents", {
      params: { path: { application_id: id } },
      body: form as never,
      bodySerializer: (b: unknown) => b as FormData,
    }),
  );
}

// ---- offers ----
export type OfferRecord = Record<string, unknown> & {
  offer_id?: string;
  kind?: string;
  product?: string;
  amount: Money;
  tenure_months: number;
  annual_rate_pct: Money;
  apr_pct?: Money;
  monthly_payment: Money;
  total_cost?: Money;
  total_interest?: Money;
  fees?: Money;
  status?: string;
};
export type ComparisonView = {
  rows: { offer: OfferRecord; pros: string[]; cons: string[] }[];
  best_payment: number;
  best_total_cost: number;
  fastest_payoff: number;
};
export const listOffers = (id: string) =>
  call<OfferRecord[] | { offers: OfferRecord[]; note?: string }>(
    loose.GET("/v1/applications/{application_id}/offers", { params: { path: { application_id: id } } }),
  );
export const adjustOffer = (id: string, terms: { amount: Money; tenure_months: number }) =>
  call<OfferRecord | { offer: OfferRecord }>(
    loose.POST("/v1/applications/{application_id}/offers/adjust", { params: { path: { application_id: id } }, body: terms }),
  );
export const compareOffers = (id: string, offers: OfferRecord[]) =>
  call<ComparisonView>(loose.POST("/v1/applications/{application_id}/offers/compare", { params: { path: { application_id: id } }, body: { offers } }));
export const acceptOffer = (id: string, offer: OfferRecord) =>
  call<ApplicationView>(
    loose.POST("/v1/applications/{application_id}/offers/accept", { params: { path: { application_id: id } }, body: { offer_id: offer.offer_id, offer } }),
  );

// ---- feedback ----
export const sendFeedback = (body: { application_id?: string; rating: number; comment?: string }) =>
  call<unknown>(loose.POST("/v1/feedback", { body }));

/** Thumbs up/down on one advisor reply; resolves true when stored. */
export async function rateReply(threadId: string, messageIndex: number, rating: "up" | "down"): Promise<boolean> {
  const r = await call<unknown>(
    loose.POST("/v1/feedback", { body: { thread_id: threadId, message_index: messageIndex, rating: rating === "up" ? 5 : 1, kind: "reply", thumbs: rating } }),
  );
  return r.ok;
}

// ---- experiments ----
export const getAssignments = () => call<Record<string, unknown>>(loose.GET("/v1/experiments/assignments", {}));

// ---- staff ----
export const staffQueue = () => call<ApplicationView[]>(loose.GET("/v1/staff/applications", {}));
export const staffDecide = (id: string, outcome: string, note: string) =>
  call<ApplicationView>(loose.POST("/v1/staff/applications/{application_id}/review", { params: { path: { application_id: id } }, body: { outcome, note } }));
export const staffMetrics = () => call<Record<string, unknown>>(loose.GET("/v1/staff/metrics", {}));
export const staffExperiments = () => call<unknown[] | Record<string, unknown>>(loose.GET("/v1/staff/experiments", {}));
export const staffKbDocuments = () => call<{ doc_id: string; title: string; version?: string | number }[]>(loose.GET("/v1/staff/kb/documents", {}));
export const staffKbDocument = (docId: string) =>
  call<{ doc_id: string; title: string; text?: string; body?: string; version?: string | number }>(
    loose.GET("/v1/staff/kb/documents/{doc_id}", { params: { path: { doc_id: docId } } }),
  );
export const staffKbSave = (docId: string, body: { title: string; text: string }) =>
  call<unknown>(loose.PUT("/v1/staff/kb/documents/{doc_id}", { params: { path: { doc_id: docId } }, body }));
