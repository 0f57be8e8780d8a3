// Cognito sign-up / confirm / sign-in through AWS Amplify Auth (v6 modular API). Loaded only by
// provider.ts's dynamic import when the API says the provider is Cognito, so local mode never
// downloads Amplify. The ID token (it carries email and cognito:groups) is the API bearer token.
import { Amplify } from "aws-amplify";
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from "aws-amplify/auth";
import { getToken, setToken, setTokenSource } from "../api/client";
import type { AuthConfig } from "./provider";

export type CognitoResult =
  | { ok: true; next: "done" | "confirm" }
  | { ok: false; message: string; fields: Record<string, string> };

export function configureCognito(cfg: AuthConfig): void {
  if (!cfg.user_pool_id || !cfg.client_id) throw new Error("Cognito is not configured");
  Amplify.configure({
    Auth: { Cognito: { userPoolId: cfg.user_pool_id, userPoolClientId: cfg.client_id, loginWith: { email: true } } },
  });
  // Every API call asks Amplify for the session, which refreshes an expired ID token.
  setTokenSource(currentToken);
}

/** The current ID token (refreshed by Amplify when needed), also stored for the SSE chat. */
export async function currentToken(): Promise<string | null> {
  try {
    const s = await fetchAuthSession();
    const t = s.tokens?.idToken?.toString() ?? null;
    if (t !== getToken()) setToken(t);
    return t;
  } catch {
    return getToken();
  }
}

// Cognito's error names -> a sentence, and the field it belongs to (tied to the input).
const ERRORS: Record<string, { message: string; field?: string }> = {
  UsernameExistsException: { message: "An account with this email already exists. Sign in instead." },
  InvalidPasswordException: { field: "password", message: "Use at least 8 characters with upper and lower case letters, a number and a symbol." },
  InvalidParameterException: { field: "email", message: "Enter an email address like name@example.com." },
  NotAuthorizedException: { message: "That email and password do not match an account." },
  UserNotFoundException: { message: "That email and password do not match an account." },
  CodeMismatchException: { field: "code", message: "That code is not right. Check the email we sent and try again." },
  ExpiredCodeException: { field: "code", message: "That code has expired. Sign up again to get a new one." },
  LimitExceededException: { message: "Too many attempts. Wait a few minutes and try again." },
  TooManyRequestsException: { message: "Too many attempts. Wait a few minutes and try again." },
};

function failure(err: unknown): CognitoResult {
  const name = (err as { name?: string } | null)?.name ?? "";
  const known = ERRORS[name];
  if (known) return { ok: false, message: known.message, fields: known.field ? { [known.field]: known.message } : {} };
  const text = (err as { message?: string } | null)?.message;
  return { ok: false, message: text || "Sign-in is not available right now. Please try again.", fields: {} };
}

async function storeSession(): Promise<CognitoResult> {
  const t = await currentToken();
  return t ? { ok: true, next: "done" } : { ok: false, message: "Signed in, but no token was issued. Please try again.", fields: {} };
}

export async function cognitoSignUp(email: string, password: string): Promise<CognitoResult> {
  try {
    const r = await signUp({ username: email, password, options: { userAttributes: { email } } });
    if (r.nextStep.signUpStep === "CONFIRM_SIGN_UP") return { ok: true, next: "confirm" };
    return cognitoSignIn(email, password);
  } catch (err) {
    return failure(err);
  }
}

/** Confirm the emailed code, then sign in with the password the person just chose. */
export async function cognitoConfirmSignUp(email: string, code: string, password: string): Promise<CognitoResult> {
  try {
    await confirmSignUp({ username: email, confirmationCode: code });
  } catch (err) {
    return failure(err);
  }
  return cognitoSignIn(email, password);
}

export async function cognitoSignIn(email: string, password: string): Promise<CognitoResult> {
  try {
    const r = await signIn({ username: email, password });
    if (r.nextStep.signInStep === "CONFIRM_SIGN_UP") return { ok: true, next: "confirm" };
    if (!r.isSignedIn) return { ok: false, message: `This account needs a step the app does not support yet (${r.nextStep.signInStep}).`, fields: {} };
    return storeSession();
  } catch (err) {
    if ((err as { name?: string } | null)?.name === "UserNotConfirmedException") return { ok: true, next: "confirm" };
    if ((err as { name?: string } | null)?.name === "UserAlreadyAuthenticatedException") return storeSession();
    return failure(err);
  }
}

export async function cognitoSignOut(): Promise<void> {
  try {
    await signOut();
  } catch {
    // A failed Cognito sign-out still leaves this browser signed out of the API below.
  }
  setToken(null);
}
