// A test double for the Amplify boundary ('aws-amplify' and 'aws-amplify/auth'): each test file
// hoists `amplifyDouble()` and hands its functions to vi.mock, so no Amplify code runs in jsdom.
import { vi } from "vitest";

export function amplifyDouble() {
  return {
    imported: { auth: false, core: false },
    configure: vi.fn(),
    signUp: vi.fn(),
    confirmSignUp: vi.fn(),
    signIn: vi.fn(),
    signOut: vi.fn(),
    fetchAuthSession: vi.fn(),
  };
}

/** An unsigned JWT with the claims the UI reads (the API, not the UI, verifies tokens). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  return `${enc({ alg: "RS256" })}.${enc({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })}.sig`;
}

export const COGNITO_CONFIG = { provider: "cognito", user_pool_id: "eu-west-1_Ab12Cd34", client_id: "client123", region: "eu-west-1" };
