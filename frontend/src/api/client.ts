// The typed API client: openapi-fetch over the generated `paths`, plus the bearer token.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.gen";

export type Schemas = components["schemas"];
const TOKEN_KEY = "loan-advisor.token";

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem("loan-advisor.thread");
  }
  window.dispatchEvent(new Event("loan-advisor:auth"));
}

// Where the bearer token comes from: localStorage (local identity provider), or a source that
// can refresh it (the Cognito adapter registers Amplify's session here when it loads).
let tokenSource: (() => Promise<string | null>) | null = null;

export function setTokenSource(source: (() => Promise<string | null>) | null): void {
  tokenSource = source;
}

/** The token to send now: refreshed by the registered source (Cognito) when it has expired. */
export async function freshToken(): Promise<string | null> {
  return tokenSource ? await tokenSource() : getToken();
}

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await freshToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    // An expired or revoked token: forget it so the app sends the person to sign in.
    if (response.status === 401 && getToken()) setToken(null);
    return response;
  },
};

// fetch is looked up per call so tests (and polyfills) can replace it.
export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "" : window.location.origin,
  fetch: (req: Request) => globalThis.fetch(req),
});
api.use(auth);

export type Problem = { title?: string; detail?: string; status?: number; errors?: { field?: string | null; message: string }[] };

/** Read an RFC 9457 problem (or FastAPI's 422 shape) into a sentence and per-field messages. */
export function readProblem(error: unknown): { message: string; fields: Record<string, string> } {
  const p = (error ?? {}) as Problem & { detail?: unknown };
  const fields: Record<string, string> = {};
  for (const e of p.errors ?? []) if (e.field) fields[e.field.split(".").pop() ?? e.field] = e.message;
  if (Array.isArray(p.detail)) {
    for (const d of p.detail as { loc?: (string | number)[]; msg?: string }[]) {
      const loc = d.loc?.[d.loc.length - 1];
      if (loc !== undefined && d.msg) fields[String(loc)] = d.msg;
    }
  }
  const message = typeof p.detail === "string" ? p.detail : p.title ?? "Something went wrong. Please try again.";
  return { message, fields };
}
