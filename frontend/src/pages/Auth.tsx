// Sign in and sign up against the API's local identity provider.
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { signIn, signUp } from "../api/endpoints";
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
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await signIn(email.trim(), password);
    setBusy(false);
    if (r.ok) done();
    else setError(r.status === 401 ? "That email and password do not match an account." : r.message);
  };
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
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!EMAIL.test(email.trim())) errs.email = "Enter an email address like name@example.com.";
    if (password.length < 8) errs.password = "Use at least 8 characters.";
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const r = await signUp(email.trim(), password);
    setBusy(false);
    if (r.ok) done();
    else {
      setErrors(r.fields);
      setError(r.status === 409 ? "An account with this email already exists. Sign in instead." : r.message);
    }
  };
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
