// Domain calls the pages make, all through the generated, typed client: paths, bodies and
// responses come from the API's OpenAPI schema (src/api/schema.gen.ts), none are written here.
import { api, readProblem, setToken, type Schemas } from "./client";

export type Result<T> = { ok: true; data: T } | { ok: false; message: string; fields: Record<string, string>; status: number };

export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Result<T>> {
  try {
    const { data, error, response } = await p;
    if (error !== undefined || !response.ok) return { ok: false, status: response.status, ...readProblem(error) };
    return { ok: true, data: data as T };
  } catch {
    return { ok: false, status: 0, message: "The service cannot be reached. Check your connection and retry.", fields: {} };
  }
}

export type Application = Schemas["ApplicationPublic"];
export type Decision = Schemas["Decision"];
export type Reason = Schemas["Reason"];
export type Offer = Schemas["OfferPublic"];
export type OfferSet = Schemas["OfferSetPublic"];
export type Comparison = Schemas["ComparisonPublic"];
export type Document = Schemas["DocumentPublic"];
export type RequiredDocument = Schemas["RequiredDocumentPublic"];
export type DocumentKind = Document["kind"];
export type ApplicationCreate = Schemas["ApplicationCreate"];
export type StaffMetrics = Schemas["StaffMetrics"];
export type ReviewItem = Schemas["ReviewItem"];
export type KbHit = Schemas["KbSearchHit"];
export type Handover = Schemas["HandoverPublic"];

// ---- auth (local identity provider) ----
// Sign-up answers the same (202) whether or not the email was free, so it cannot reveal who
// has an account; the new account then signs in like any other.
export async function signUp(email: string, password: string): Promise<Result<Schemas["TokenPublic"]>> {
  const r = await call(api.POST("/v1/auth/signup", { body: { email, password } }));
  if (!r.ok) return r;
  return signIn(email, password);
}

export async function signIn(email: string, password: string): Promise<Result<Schemas["TokenPublic"]>> {
  const r = await call(api.POST("/v1/auth/login", { body: { email, password } }));
  if (r.ok) setToken(r.data.access_token);
  return r;
}

// ---- applications ----
const appPath = (id: string) => ({ params: { path: { application_id: id } } });

export const submitApplication = (body: ApplicationCreate, idempotencyKey: string) =>
  call(api.POST("/v1/applications", { body, params: { header: { "Idempotency-Key": idempotencyKey } } }));
export const listApplications = () => call(api.GET("/v1/applications"));
export const getApplication = (id: string) => call(api.GET("/v1/applications/{application_id}", appPath(id)));
export const withdrawApplication = (id: string) =>
  call(api.POST("/v1/applications/{application_id}/withdraw", { ...appPath(id), body: { reason: "" } }));

// ---- documents ----
export const listDocuments = () => call(api.GET("/v1/documents"));
export function uploadDocument(applicationId: string, kind: DocumentKind, file: File) {
  return call(
    api.POST("/v1/documents", {
      // The schema types the file as a string (binary); the browser sends multipart form data.
      body: { file: file as unknown as string, kind, application_id: applicationId },
      bodySerializer: (b) => {
        const form = new FormData();
        form.append("file", b.file as unknown as Blob);
        form.append("kind", b.kind);
        if (b.application_id) form.append("application_id", b.application_id);
        return form;
      },
    }),
  );
}

/** Mark a document a conditional approval asks for as provided (optionally its upload). */
export const provideDocument = (id: string, name: string, documentId?: string) =>
  call(api.POST("/v1/applications/{application_id}/documents", { ...appPath(id), body: { name, document_id: documentId ?? null } }));

// ---- offers ----
export const listOffers = (id: string) => call(api.GET("/v1/applications/{application_id}/offers", appPath(id)));
export const adjustOffers = (id: string, terms: { amount: string; tenure_months: number }) =>
  call(api.POST("/v1/applications/{application_id}/offers/adjust", { ...appPath(id), body: terms }));
export const compareOffers = (id: string, offerIds: string[]) =>
  call(api.POST("/v1/applications/{application_id}/offers/compare", { ...appPath(id), body: { offer_ids: offerIds } }));
export const acceptOffer = (id: string, offerId: string) =>
  call(api.POST("/v1/applications/{application_id}/offers/{offer_id}/accept", { params: { path: { application_id: id, offer_id: offerId } } }));

// ---- feedback ----
export const sendRating = (body: Schemas["RatingCreate"]) => call(api.POST("/v1/feedback/rating", { body }));

/** Thumbs up/down on one advisor message; resolves true when stored. */
export async function rateReply(threadId: string, messageId: string, thumb: "up" | "down"): Promise<boolean> {
  const r = await call(api.POST("/v1/feedback/messages", { body: { thread_id: threadId, message_id: messageId, thumb, comment: "" } }));
  return r.ok;
}

// ---- staff ----
export const staffQueue = () => call(api.GET("/v1/staff/review-queue"));
export const staffReview = (id: string, body: Schemas["ReviewVerdict"]) =>
  call(api.POST("/v1/staff/applications/{application_id}/review", { ...appPath(id), body }));
export const staffMetrics = () => call(api.GET("/v1/staff/metrics"));
export const staffHandovers = () => call(api.GET("/v1/staff/handovers"));
export const staffKbSearch = (q: string) => call(api.GET("/v1/staff/kb/search", { params: { query: { q, k: 5 } } }));

// ---- staff: knowledge-base editor and experiment results ----
export type KbDocumentSummary = Schemas["KbDocumentSummary"];
export type KbDocument = Schemas["KbDocumentPublic"];
export type KbUpdateResult = Schemas["KbUpdateResult"];
export type ExperimentsView = Schemas["ExperimentsView"];
const kbPath = (docId: string) => ({ params: { path: { doc_id: docId } } });

export const staffKbDocuments = () => call(api.GET("/v1/staff/kb/documents"));
export const readKbDocument = (docId: string) => call(api.GET("/v1/kb/documents/{doc_id}", kbPath(docId)));
export const addKbDocument = (text: string) => call(api.POST("/v1/staff/kb/documents", { body: { text } }));
export const updateKbDocument = (docId: string, text: string) =>
  call(api.PUT("/v1/staff/kb/documents/{doc_id}", { ...kbPath(docId), body: { text } }));
export const withdrawKbDocument = (docId: string) => call(api.DELETE("/v1/staff/kb/documents/{doc_id}", kbPath(docId)));
export const staffExperiments = () => call(api.GET("/v1/staff/experiments"));

// ---- staff: A/B experiments (definitions, life cycle, results) ----
export type ExperimentPublic = Schemas["ExperimentPublic"];
export type ExperimentResult = Schemas["ExperimentResult"];
export type ExperimentAction = "start" | "stop" | "archive";
export const listExperiments = () => call(api.GET("/v1/experiments"));
export const createExperiment = (definition: string) => call(api.POST("/v1/experiments", { body: { definition } }));
export const transitionExperiment = (key: string, version: number, action: ExperimentAction) =>
  call(api.POST("/v1/experiments/{key}/versions/{version}/{action}", { params: { path: { key, version, action } } }));
export const experimentResults = (key: string, version: number) =>
  call(api.GET("/v1/experiments/{key}/results", { params: { path: { key }, query: { version } } }));

// ---- staff: feedback review (items opened by thumbs-down replies and low ratings) ----
export type FeedbackReview = Schemas["FeedbackReviewPublic"];
export type FeedbackReviewDetail = Schemas["FeedbackReviewDetail"];
export type FeedbackReviewStatus = FeedbackReview["status"];
const reviewPath = (id: string) => ({ params: { path: { item_id: id } } });

export const listFeedbackReviews = (status?: FeedbackReviewStatus) =>
  call(api.GET("/v1/staff/feedback-reviews", { params: { query: status ? { status } : {} } }));
export const getFeedbackReview = (id: string) => call(api.GET("/v1/staff/feedback-reviews/{item_id}", reviewPath(id)));
export const resolveFeedbackReview = (id: string, note: string) =>
  call(api.POST("/v1/staff/feedback-reviews/{item_id}/resolve", { ...reviewPath(id), body: { note } }));
export const dismissFeedbackReview = (id: string, note: string) =>
  call(api.POST("/v1/staff/feedback-reviews/{item_id}/dismiss", { ...reviewPath(id), body: { note } }));
export const feedbackReviewEvalCase = (id: string, note: string) =>
  call(api.POST("/v1/staff/feedback-reviews/{item_id}/eval-case", { ...reviewPath(id), body: { note } }));
