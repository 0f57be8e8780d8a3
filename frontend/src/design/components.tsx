// The small design system: buttons, fields with tied error messages, alerts, badges.
import { useId, type ReactNode, type SelectHTMLAttributes, type InputHTMLAttributes } from "react";

type FieldProps = {
  label: string;
  hint?: string;
  error?: string | undefined;
};

/** A labelled input whose hint and error are announced with it (aria-describedby). */
export function TextField({ label, hint, error, id, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const fid = id ?? auto;
  const describedBy = [hint ? `${fid}-hint` : "", error ? `${fid}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={fid}>{label}</label>
      {hint && <span id={`${fid}-hint`} className="hint">{hint}</span>}
      <input id={fid} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {error && <span id={`${fid}-error`} className="error">{error}</span>}
    </div>
  );
}

/** A labelled select with the same hint/error wiring as TextField. */
export function SelectField({
  label, hint, error, id, options, ...select
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: readonly (string | { value: string; label: string })[] }) {
  const auto = useId();
  const fid = id ?? auto;
  const describedBy = [hint ? `${fid}-hint` : "", error ? `${fid}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={fid}>{label}</label>
      {hint && <span id={`${fid}-hint`} className="hint">{hint}</span>}
      <select id={fid} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {options.map((o) =>
          typeof o === "string" ? <option key={o} value={o}>{o || "Choose…"}</option> : <option key={o.value} value={o.value}>{o.label}</option>,
        )}
      </select>
      {error && <span id={`${fid}-error`} className="error">{error}</span>}
    </div>
  );
}

export function Alert({ tone = "info", children, live }: { tone?: "info" | "ok" | "warn" | "bad"; children: ReactNode; live?: boolean }) {
  return (
    <div className={`alert ${tone}`} role={live ? (tone === "bad" ? "alert" : "status") : undefined}>
      {children}
    </div>
  );
}

export function Badge({ tone, children }: { tone: "ok" | "warn" | "bad" | "info"; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

export function Card({ children, className = "", ...rest }: { children: ReactNode; className?: string } & React.HTMLAttributes<HTMLElement>) {
  return <section className={`card ${className}`} {...rest}>{children}</section>;
}
