// Sign in and sign up: the API's local identity provider, or Cognito through AWS Amplify Auth when
// GET /v1/auth/config says so (Amplify is loaded on demand, never in local mode).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { signIn, signUp } from "../api/endpoints";
import { getAuthConfig, loadCognito } from "../auth/provider";
import { Alert, TextField } from "../design/components";
import { usePageTitle } from "./usePageTitle";

function useAfterAuth() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = params.get("next");
  return () => navigate(next && next.startsWith("/") ? next : "/dashboard", { replace: true });
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function SignIn() {
  usePageTitle("Sign in");
  const done = useAfterAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const cfg = await getAuthConfig();
    if (cfg.provider === "cognito") {
      const r = await (await loadCognito(cfg)).cognitoSignIn(email.trim(), password);
      setBusy(false);
      if (!r.ok) setError(r.message);
      else if (r.next === "confirm") setConfirming(true);
      else done();
      return;
    }
    const r = await signIn(email.trim(), password);
    setBusy(false);
    if (r.ok) done();
    else setError(r.status === 401 ? "That email and password do not match an account." : r.message);
  };
  if (confirming) return <ConfirmCode email={email.trim()} password={password} onDone={done} />;
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate style={{ maxWidth: 480 }}>
      <h1>Sign in</h1>
      {error && <Alert tone="bad" live>{error}</Alert>}
      <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      <button className="btn" type="submit" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      <p>New here? <Link to="/signup">Create an account</Link></p>
    </form>
  );
}

export function SignUp() {
  usePageTitle("Create account");
  const done = useAfterAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!EMAIL.test(email.trim())) errs.email = "Enter an email address like name@example.com.";
    if (password.length < 8) errs.password = "Use at least 8 characters.";
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const cfg = await getAuthConfig();
    if (cfg.provider === "cognito") {
      const r = await (await loadCognito(cfg)).cognitoSignUp(email.trim(), password);
      setBusy(false);
      if (!r.ok) {
        setErrors(r.fields);
        setError(r.message);
      } else if (r.next === "confirm") setConfirming(true);
      else done();
      return;
    }
    const r = await signUp(email.trim(), password);
    setBusy(false);
    if (r.ok) done();
    else {
      setErrors(r.fields);
      setError(r.status === 401 ? "We could not sign you in with this email and password. If you already have an account, sign in instead." : r.message);
    }
  };
  if (confirming) return <ConfirmCode email={email.trim()} password={password} onDone={done} />;
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate style={{ maxWidth: 480 }}>
      <h1>Create an account</h1>
      {error && <Alert tone="bad" live>{error}</Alert>}
      <TextField label="Email" type="email" autoComplete="email" required value={email} error={errors.email} onChange={(e) => setEmail(e.target.value)} />
      <TextField label="Password" type="password" autoComplete="new-password" required hint="At least 8 characters." value={password} error={errors.password} onChange={(e) => setPassword(e.target.value)} />
      <button className="btn" type="submit" disabled={busy}>{busy ? "Creating…" : "Create account"}</button>
      <p>Already have an account? <Link to="/signin">Sign in</Link></p>
    </form>
  );
}

/** Cognito's confirm-sign-up step: the emailed code, then sign-in with the chosen password. */
function ConfirmCode({ email, password, onDone }: { email: string; password: string; onDone: () => void }) {
  usePageTitle("Confirm your email");
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    if (!/^\d{6}$/.test(value)) {
      setCodeError("Enter the 6-digit code from the email.");
      document.getElementById("confirm-code")?.focus();
      return;
    }
    setCodeError(undefined);
    setBusy(true);
    const cfg = await getAuthConfig();
    const r = await (await loadCognito(cfg)).cognitoConfirmSignUp(email, value, password);
    setBusy(false);
    if (r.ok && r.next === "done") onDone();
    else if (!r.ok) {
      setCodeError(r.fields.code);
      setError(r.fields.code ? null : r.message);
      if (r.fields.code) document.getElementById("confirm-code")?.focus();
    }
  };
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate style={{ maxWidth: 480 }}>
      <h1 ref={heading} tabIndex={-1}>Confirm your email</h1>
      <p role="status">We sent a 6-digit code to {email}.</p>
      {error && <Alert tone="bad" live>{error}</Alert>}
      <TextField id="confirm-code" label="Confirmation code" inputMode="numeric" autoComplete="one-time-code" required value={code} error={codeError} onChange={(e) => setCode(e.target.value)} />
      <button className="btn" type="submit" disabled={busy}>{busy ? "Confirming…" : "Confirm"}</button>
    </form>
  );
}
