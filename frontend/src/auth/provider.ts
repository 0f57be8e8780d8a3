// Which identity provider signs people in, read at run time from GET /v1/auth/config.
// Local mode never loads Amplify: the Cognito adapter is a dynamic import in its own chunk.
import { api, setToken, type Schemas } from "../api/client";

export type AuthConfig = Schemas["AuthConfigPublic"];
export type CognitoAuth = typeof import("./cognito");

const LOCAL: AuthConfig = { provider: "local" };
let config: Promise<AuthConfig> | null = null;
let cognito: Promise<CognitoAuth> | null = null;

/** The API's answer, fetched once; a failed call falls back to local (and is retried next time). */
export function getAuthConfig(): Promise<AuthConfig> {
  if (!config) {
    const p = api
      .GET("/v1/auth/config")
      .then(({ data }) => data ?? null)
      .catch(() => null);
    config = p.then((data) => {
      if (!data) config = null;
      return data ?? LOCAL;
    });
  }
  return config;
}

/** Load and configure the Cognito adapter (Amplify Auth) for the given user pool. */
export function loadCognito(cfg: AuthConfig): Promise<CognitoAuth> {
  if (!cognito) {
    cognito = import("./cognito").then((m) => {
      m.configureCognito(cfg);
      return m;
    });
  }
  return cognito;
}

/** In Cognito mode, make sure a stored session keeps its token fresh after a page reload. */
export async function resumeSession(): Promise<void> {
  const cfg = await getAuthConfig();
  if (cfg.provider === "cognito") await loadCognito(cfg);
}

/** Forget the API token and, when Amplify was loaded, end the Cognito session too. */
export function signOutEverywhere(): void {
  setToken(null);
  if (cognito) void cognito.then((m) => m.cognitoSignOut());
}

/** Tests only: forget the cached config and adapter. */
export function resetAuthProvider(): void {
  config = null;
  cognito = null;
}
