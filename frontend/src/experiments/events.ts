// What only the web app sees, reported to the API for experiments and drop-off analytics:
// the moment a variant is on screen (exposure), outcomes (offer viewed, thumbs, application
// started) and each application-form step reached. Every call is fire-and-forget: analytics
// must never block, slow or break the page, so failures are swallowed.
import { api } from "../api/client";

export type ClientOutcome = "application_started" | "offer_viewed" | "thumb_up" | "thumb_down";
export type FormStep = "about_you" | "work_income" | "savings_credit" | "loan" | "review" | "submitted";

/** The form's step names in order, as the API's funnel counts them (storage/funnel.py). */
export const FORM_STEPS: readonly FormStep[] = ["about_you", "work_income", "savings_credit", "loan", "review", "submitted"];

let experimentIds: Record<string, string> = {};
const exposed = new Set<string>();

/** Remember which experiment drives each UI surface (from GET /v1/experiments/assignment). */
export function rememberExperiments(ids: Record<string, string> | undefined): void {
  experimentIds = { ...(ids ?? {}) };
}

const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);

/** Report an outcome of the signed-in user (joined to their exposures by the analysis). */
export function reportOutcome(event: ClientOutcome, value = 1): void {
  quietly(api.POST("/v1/experiments/events", { body: { event, value } }));
}

/**
 * Report that the variant of `surface` (e.g. "offer_presentation") is on screen now. Sent once
 * per page load and surface; the API also records it only once per user.
 */
export function reportExposure(surface: string): void {
  const id = experimentIds[surface];
  if (!id || exposed.has(surface)) return;
  exposed.add(surface);
  const key = id.replace(/\/v\d+$/, "");
  quietly(api.POST("/v1/experiments/{key}/exposure", { params: { path: { key } } }));
}

/** Report that this form session reached `step` (feeds the drop-off funnel). */
export function reportStep(step: FormStep, session: string): void {
  quietly(api.POST("/v1/events/step", { body: { channel: "form", step, session } }));
}

/** A new form-session id (the API accepts 8-64 letters, digits, `_` and `-`). */
export function newFormSession(): string {
  return `form-${crypto.randomUUID()}`;
}

/** Forget what was sent (tests). */
export function resetEvents(): void {
  experimentIds = {};
  exposed.clear();
}
