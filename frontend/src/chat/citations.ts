// Where a chat citation links to: the knowledge-base page, at the version the advisor cited.

export type Citation = { ref?: number | string; title?: string; section?: string; url?: string; doc_id?: string; text?: string; version?: string | number };

/**
 * The app route for a citation: `/kb/<doc_id>?version=N&section=<slug>`. The API's passage url is
 * `/kb/<doc_id>#<section-slug>`; in the hash-routed app the section travels as a query parameter.
 */
export function citationHref(c: Citation): string | null {
  const [path = "", section = ""] = (c.url ?? "").split("#");
  const docId = c.doc_id ?? /^\/kb\/([a-z0-9][a-z0-9-]*)/.exec(path)?.[1];
  if (!docId) return null;
  const q = new URLSearchParams();
  if (c.version !== undefined && c.version !== null && String(c.version) !== "") q.set("version", String(c.version));
  if (section) q.set("section", section);
  const qs = q.toString();
  return `/kb/${encodeURIComponent(docId)}${qs ? `?${qs}` : ""}`;
}

/** A readable label: "Title — Section (version N)". */
export function citationLabel(c: Citation): string {
  const name = [c.title, c.section].filter(Boolean).join(" — ") || c.doc_id || "Policy document";
  return c.version !== undefined && c.version !== null ? `${name} (version ${String(c.version)})` : name;
}
