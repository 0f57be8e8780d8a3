// After a decision: a 1–5 rating and a short comment.
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { sendRating } from "../api/endpoints";
import { Alert } from "../design/components";
import { usePageTitle } from "./usePageTitle";

const LABELS = ["Very poor", "Poor", "OK", "Good", "Excellent"];

export default function Feedback() {
  usePageTitle("Feedback");
  const { id = "" } = useParams();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!rating) return setError("Choose a rating from 1 to 5.");
    const r = await sendRating({ application_id: id, rating, comment: comment.trim() });
    if (r.ok) setSent(true);
    else setError(r.message);
  };
  if (sent) {
    return (
      <div className="card stack">
        <h1>Thank you</h1>
        <Alert tone="ok" live>Your feedback was sent. It helps us improve the service.</Alert>
        <Link to="/dashboard">Back to my applications</Link>
      </div>
    );
  }
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} noValidate style={{ maxWidth: 640 }}>
      <h1>How did we do?</h1>
      <fieldset aria-describedby={error ? "rating-error" : undefined}>
        <legend style={{ fontWeight: 600 }}>Your rating (1 = very poor, 5 = excellent)</legend>
        <div className="row">
          {LABELS.map((label, i) => (
            <label key={label} className="btn secondary" style={{ gap: "0.4rem" }}>
              <input type="radio" name="rating" value={i + 1} checked={rating === i + 1} style={{ width: "auto", minHeight: 0 }}
                onChange={() => { setRating(i + 1); setError(null); }} />
              {i + 1} <span className="visually-hidden">— {label}</span><span aria-hidden="true" className="muted">{label}</span>
            </label>
          ))}
        </div>
        {error && <p id="rating-error" className="error" role="alert">{error}</p>}
      </fieldset>
      <div className="field">
        <label htmlFor="comment">Anything we could do better? (optional)</label>
        <textarea id="comment" rows={4} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <button type="submit" className="btn">Send feedback</button>
    </form>
  );
}
