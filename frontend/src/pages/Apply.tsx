// The multi-step application: progress, validation as you type, save and resume, review, submit.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { submitApplication, type ApplicationCreate } from "../api/endpoints";
import { Alert, SelectField, TextField } from "../design/components";
import {
  ALL_FIELDS, clearDraft, isVisible, loadDraft, optionsFor, saveDraft, STEPS, toPayload, validateField, validateStep,
  boundsFor, type FieldSpec, type FormValues,
} from "../lending/applicationForm";
import { products } from "../lending/bounds";
import { money } from "../lending/format";
import { FORM_STEPS, newFormSession, reportOutcome, reportStep } from "../experiments/events";
import { usePageTitle } from "./usePageTitle";

const REVIEW = STEPS.length;
const KEY_STORE = "loan-advisor.idempotency-key";

function idempotencyKey(): string {
  // One key per application attempt: a retried submit after a network error cannot create a duplicate.
  let k = localStorage.getItem(KEY_STORE);
  if (!k) {
    k = crypto.randomUUID();
    localStorage.setItem(KEY_STORE, k);
  }
  return k;
}

function display(f: FieldSpec, v: FormValues): string {
  const raw = v[f.name] ?? "";
  if (!raw) return f.optionalLabel ?? "Not given";
  if (f.name === "product") return products()[raw]?.label ?? raw;
  return f.kind === "money" ? money(raw) : raw;
}

function Field({ f, values, error, onChange, onBlur }: {
  f: FieldSpec; values: FormValues; error?: string; onChange: (v: string) => void; onBlur: () => void;
}) {
  const id = `f-${f.name}`;
  let hint = f.hint;
  const p = values.product ? products()[values.product] : undefined;
  if (p && f.name === "amount") hint = `${money(p.amount.min, false)} to ${money(p.amount.max, false)} for a ${p.label.toLowerCase()}.`;
  if (p && f.name === "tenure_months") hint = `${p.tenure_months.min} to ${p.tenure_months.max} months for a ${p.label.toLowerCase()}.`;
  const common = { id, name: f.name, value: values[f.name] ?? "", error, hint, onBlur };
  if (f.kind === "choice") {
    const b = boundsFor(f);
    const blank = b.nullable ? { value: "", label: f.optionalLabel ?? "Not given" } : { value: "", label: "Choose…" };
    return <SelectField label={f.label} options={[blank, ...optionsFor(f)]} required={!b.nullable} {...common} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <TextField
      label={f.label}
      inputMode={f.kind === "money" ? "decimal" : "numeric"}
      autoComplete="off"
      required={!boundsFor(f).nullable}
      {...common}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function Apply() {
  usePageTitle("Apply for a loan");
  const navigate = useNavigate();
  const draft = useRef(loadDraft());
  const [values, setValues] = useState<FormValues>(draft.current?.values ?? {});
  const [step, setStep] = useState(draft.current?.step ?? 0);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [resumed] = useState(!!draft.current);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => saveDraft(values, step), [values, step]);
  // Drop-off analytics: each step reached once per form session; the first is the start.
  const session = useRef(newFormSession());
  const reached = useRef(new Set<number>());
  useEffect(() => {
    if (reached.current.has(step)) return;
    if (reached.current.size === 0) reportOutcome("application_started");
    reached.current.add(step);
    const name = FORM_STEPS[step];
    if (name) reportStep(name, session.current);
  }, [step]);

  const change = (name: string, v: string) => {
    const next = { ...values, [name]: v };
    setValues(next);
    // Re-validate fields already visited, so messages clear as soon as the value is fixed.
    const f = ALL_FIELDS.find((x) => x.name === name);
    if (f && (touched[name] || errors[name])) setErrors((e) => ({ ...e, [name]: validateField(f, next) ?? "" }));
  };
  const blur = (f: FieldSpec) => {
    setTouched((t) => ({ ...t, [f.name]: true }));
    setErrors((e) => ({ ...e, [f.name]: validateField(f, values) ?? "" }));
  };
  const go = (to: number) => {
    setStep(to);
    setServerError(null);
    setTimeout(() => heading.current?.focus(), 0);
  };
  const next = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateStep(step, values);
    setErrors(errs);
    if (Object.keys(errs).length) {
      document.getElementById(`f-${Object.keys(errs)[0]}`)?.focus();
      return;
    }
    go(step + 1);
  };
  const submit = async () => {
    for (let s = 0; s < STEPS.length; s++) {
      const errs = validateStep(s, values);
      if (Object.keys(errs).length) {
        setErrors(errs);
        go(s);
        return;
      }
    }
    setBusy(true);
    setServerError(null);
    // Every field was validated against the API's own bounds above, so the shape matches.
    const r = await submitApplication(toPayload(values) as unknown as ApplicationCreate, idempotencyKey());
    setBusy(false);
    if (!r.ok) {
      setServerError(r.message);
      if (Object.keys(r.fields).length) {
        setErrors(r.fields);
        const s = STEPS.findIndex((st) => st.fields.some((f) => r.fields[f.name]));
        if (s >= 0) go(s);
      }
      return;
    }
    reportStep("submitted", session.current);
    clearDraft();
    localStorage.removeItem(KEY_STORE);
    navigate(`/dashboard?application=${encodeURIComponent(r.data.application_id)}`);
  };
  const startOver = () => {
    clearDraft();
    setValues({});
    setErrors({});
    go(0);
  };

  const titles = [...STEPS.map((s) => s.title), "Review"];
  return (
    <div className="card stack">
      <h1>Apply for a loan</h1>
      <nav aria-label="Application progress">
        <ol className="steps">
          {titles.map((t, i) => (
            <li key={t} aria-current={i === step ? "step" : undefined} className={i < step ? "done" : undefined}>
              {t}
              {i < step && <span className="visually-hidden"> (completed)</span>}
            </li>
          ))}
        </ol>
      </nav>
      {resumed && step === (draft.current?.step ?? 0) && Object.keys(values).length > 0 && (
        <Alert tone="info">
          We restored the answers you saved on this device.{" "}
          <button type="button" className="btn link" onClick={startOver}>Start over</button>
        </Alert>
      )}
      {serverError && <Alert tone="bad" live>{serverError}</Alert>}
      {step < REVIEW ? (
        <form onSubmit={next} noValidate className="stack">
          <h2 ref={heading} tabIndex={-1}>Step {step + 1} of {titles.length}: {titles[step]}</h2>
          <div className="form-grid">
            {STEPS[step]!.fields.filter((f) => isVisible(f, values)).map((f) => (
              <Field key={f.name} f={f} values={values} error={errors[f.name] || undefined} onChange={(v) => change(f.name, v)} onBlur={() => blur(f)} />
            ))}
          </div>
          <p className="muted">Your answers are saved on this device as you type.</p>
          <div className="row">
            {step > 0 && <button type="button" className="btn secondary" onClick={() => go(step - 1)}>Back</button>}
            <button type="submit" className="btn">Continue</button>
          </div>
        </form>
      ) : (
        <section className="stack" aria-labelledby="review-h">
          <h2 id="review-h" ref={heading} tabIndex={-1}>Step {titles.length} of {titles.length}: Review your answers</h2>
          {STEPS.map((s, i) => (
            <section key={s.title} className="card" aria-labelledby={`rev-${i}`}>
              <div className="row" style={{ justifyContent: "space-between" }}>
                <h3 id={`rev-${i}`}>{s.title}</h3>
                <button type="button" className="btn link" onClick={() => go(i)} aria-label={`Edit ${s.title}`}>Edit</button>
              </div>
              <dl className="kv">
                {s.fields.filter((f) => isVisible(f, values)).map((f) => (
                  <div key={f.name} style={{ display: "contents" }}>
                    <dt>{f.label}</dt>
                    <dd>{display(f, values)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <p>By submitting, you agree that we check your answers against our lending policy and risk model.</p>
          <div className="row">
            <button type="button" className="btn secondary" onClick={() => go(step - 1)}>Back</button>
            <button type="button" className="btn" disabled={busy} onClick={() => void submit()}>{busy ? "Submitting…" : "Submit application"}</button>
          </div>
        </section>
      )}
    </div>
  );
}
