// A small Markdown renderer for policy documents: headings (with anchors), paragraphs, bullet and
// numbered lists, **bold** and `code`. It builds React elements, never HTML strings, so a
// document's text cannot inject markup; anything else shows as plain text.
import type { ReactNode } from "react";

/** The anchor of a heading; the same rule as the API's section slugs (retrieval/chunking.py). */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "top";
}

function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/g).filter(Boolean).map((part, i) => {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2) return <code key={i}>{part.slice(1, -1)}</code>;
    return part;
  });
}

type Block = { kind: "h"; level: number; text: string } | { kind: "p"; text: string } | { kind: "ul" | "ol"; items: string[] };

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push({ kind: "p", text: para.join(" ") });
    para = [];
  };
  for (const raw of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (!line) flush();
    else if (heading) {
      flush();
      out.push({ kind: "h", level: heading[1]!.length, text: heading[2]!.trim() });
    } else if (item) {
      flush();
      const kind = item[1] ? "ul" : "ol";
      const last = out.at(-1);
      if (last && last.kind === kind) last.items.push(item[3]!);
      else out.push({ kind, items: [item[3]!] });
    } else {
      const last = out.at(-1);
      // A wrapped list item continues on the next line.
      if (!para.length && last && (last.kind === "ul" || last.kind === "ol") && /^\s/.test(raw)) last.items[last.items.length - 1] += ` ${line}`;
      else para.push(line);
    }
  }
  flush();
  return out;
}

/**
 * Render `markdown` below a page whose <h1> is the document title: a Markdown `#` becomes <h2>,
 * and so on, so the outline stays valid. Headings get ids (their slugs) for section links.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <>
      {blocks(text).map((b, i) => {
        if (b.kind === "h") {
          const H = `h${Math.min(b.level + 1, 6)}` as "h2";
          return <H key={i} id={slugify(b.text)}>{inline(b.text)}</H>;
        }
        if (b.kind === "p") return <p key={i}>{inline(b.text)}</p>;
        const L = b.kind;
        return <L key={i}>{b.items.map((t, j) => <li key={j}>{inline(t)}</li>)}</L>;
      })}
    </>
  );
}
