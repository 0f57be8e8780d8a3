// KB document text as the API stores and validates it: YAML front matter, then Markdown.
import type { KbDocument } from "../api/endpoints";

/** The document as the API stores it: YAML front matter, then the Markdown body. */
export function toMarkdown(doc: Pick<KbDocument, "doc_id" | "title" | "products" | "effective_date" | "version" | "body">): string {
  // JSON strings are valid YAML scalars, so titles with colons or quotes survive the round trip.
  return [
    "---",
    `id: ${doc.doc_id}`,
    `title: ${JSON.stringify(doc.title)}`,
    `products: [${doc.products.join(", ")}]`,
    `effective_date: ${doc.effective_date}`,
    `version: ${doc.version}`,
    "---",
    doc.body.trim(),
    "",
  ].join("\n");
}
