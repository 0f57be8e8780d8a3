// Supplies the UI experiment arms to the app: the API's assignment for the signed-in user
// (GET /v1/experiments/assignment, which also records the exposure), control arms before sign-in.
import { useEffect, useState, type ReactNode } from "react";
import { api } from "../api/client";
import { rememberExperiments } from "./events";
import { CONTROL, variantsFrom, VariantsContext, type Variants } from "./variants";

/** Variants pinned on the page URL (?variants={...}), e.g. by end-to-end tests; null if none. */
export function urlVariants(search: string = window.location.search): Variants | null {
  const raw = new URLSearchParams(search).get("variants");
  if (!raw) return null;
  try {
    return variantsFrom(JSON.parse(raw));
  } catch {
    return null;
  }
}

/**
 * Provide the variants for `userId` (null when signed out). The assignment is fetched once per
 * user; a URL override wins and is not fetched, so no exposure is recorded for an arm not shown.
 */
export function VariantsProvider({ userId, children }: { userId: string | null; children: ReactNode }) {
  const [pinned] = useState(() => urlVariants());
  const [assigned, setAssigned] = useState<{ user: string; variants: Variants } | null>(null);

  useEffect(() => {
    if (pinned || !userId) return;
    let live = true;
    void api.GET("/v1/experiments/assignment").then(({ data }) => {
      // On failure the control arms stay: the experiment must never block the app.
      if (live && data) {
        rememberExperiments(data.experiment_ids); // exposures are reported under these ids
        setAssigned({ user: userId, variants: variantsFrom(data) });
      }
    });
    return () => {
      live = false;
    };
  }, [pinned, userId]);

  const variants = pinned ?? (assigned && assigned.user === userId ? assigned.variants : CONTROL);
  return <VariantsContext.Provider value={variants}>{children}</VariantsContext.Provider>;
}
