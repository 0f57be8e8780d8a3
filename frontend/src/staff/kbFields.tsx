// The KB editor's text area and how the API's validation failures are shown beside it (shared by
// the document editor and the gap-draft editor).
import { useId, type TextareaHTMLAttributes } from "react";
import type { Result } from "../api/endpoints";

/** Field names in the API's errors, said the way an editor reads the text. */
function fieldLabel(field: string): string {
  if (field === "text" || field === "body" || field === "front_matter") return field === "body" ? "Body" : field === "text" ? "Text" : "Front matter";
  return `Front matter “${field}”`;
}

const tidy = (m: string) => m.replace(/^api: /, "");

type Failure = Extract<Result<unknown>, { ok: false }>;

/** Messages for the text area (validation) or, when the failure is not about the text, for an alert. */
export function splitFailure(r: Failure): { field: string[]; general: string | null } {
  const field = Object.entries(r.fields).map(([k, m]) => `${fieldLabel(k)}: ${tidy(m)}`);
  if (field.length) return { field, general: null };
  if (r.status === 400 || r.status === 422) return { field: [tidy(r.message)], general: null };
  return { field: [], general: r.message };
}

export function TextAreaField({ label, hint, errors, ...area }: { label: string; hint: string; errors: string[] } & TextareaHTMLAttributes<HTMLTextAreaElement> & { areaRef?: React.Ref<HTMLTextAreaElement> }) {
  const id = useId();
  const { areaRef, ...rest } = area;
  const describedBy = [`${id}-hint`, errors.length ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span id={`${id}-hint`} className="hint">{hint}</span>
      <textarea id={id} ref={areaRef} className="kb-text" spellCheck={false} aria-invalid={errors.length ? true : undefined} aria-describedby={describedBy} {...rest} />
      {errors.length > 0 && (
        <div id={`${id}-error`} className="error">
          {errors.length === 1 ? errors[0] : <ul>{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
        </div>
      )}
    </div>
  );
}

export const HINT =
  "Front matter between the --- lines: id, title, products (car, home, gold, education, personal, medical), effective_date (YYYY-MM-DD) and version. Saving stores a new version; the number is assigned by the service.";
