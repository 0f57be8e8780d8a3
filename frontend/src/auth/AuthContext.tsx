// Who is signed in, read from the API's JWT (the API verifies it; the UI only reads the claims).
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { getToken } from "../api/client";
import { resumeSession, signOutEverywhere } from "./provider";

export type User = { id: string; email?: string; name?: string; roles: string[] };

/** Decode a JWT's claims without verifying (display only; every request is checked server-side). */
export function decodeToken(token: string | null): User | null {
  if (!token) return null;
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const c = JSON.parse(json) as Record<string, unknown>;
    if (typeof c.exp === "number" && c.exp * 1000 < Date.now()) return null;
    const roles = Array.isArray(c.roles) ? c.roles.map(String) : typeof c.role === "string" ? [c.role] : Array.isArray(c["cognito:groups"]) ? (c["cognito:groups"] as string[]) : ["applicant"];
    return { id: String(c.sub ?? ""), email: c.email as string | undefined, name: c.name as string | undefined, roles };
  } catch {
    return null;
  }
}

type AuthState = { user: User | null; signOut: () => void };
const Ctx = createContext<AuthState>({ user: null, signOut: () => undefined });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(() => decodeToken(getToken()));
  useEffect(() => {
    // A stored Cognito session needs Amplify to refresh its token; local mode loads nothing.
    if (getToken()) void resumeSession();
  }, []);
  useEffect(() => {
    const sync = () => setUser(decodeToken(getToken()));
    window.addEventListener("loan-advisor:auth", sync);
    window.addEventListener("storage", sync);
    return () => {
      window.removeEventListener("loan-advisor:auth", sync);
      window.removeEventListener("storage", sync);
    };
  }, []);
  return <Ctx.Provider value={{ user, signOut: signOutEverywhere }}>{children}</Ctx.Provider>;
}

export const useAuth = () => useContext(Ctx);
