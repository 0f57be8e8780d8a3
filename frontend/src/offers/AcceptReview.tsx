// Accepting an offer is binding, so it takes three steps: review the terms restated in full,
// tick an explicit confirmation, then a confirmation screen with what happens next and how to
// withdraw during the cooling-off period. Figures are the API's; this only lays them out.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { acceptOffer, withdrawApplication, type Offer } from "../api/endpoints";
import { Alert } from "../design/components";
import { money, months, pct } from "../lending/format";

function Terms({ offer }: { offer: Offer }) {
  return (
    <dl className="kv review-terms">
      <dt>Amount</dt><dd className="num">{money(offer.amount)}</dd>
      <dt>Term</dt><dd className="num">{months(offer.tenure_months)}</dd>
      <dt>Interest rate</dt><dd className="num">{pct(offer.annual_rate_pct)}</dd>
      <dt>APR (incl. fees)</dt><dd className="num">{pct(offer.apr_pct)}</dd>
      <dt>Monthly payment</dt><dd className="num">{money(offer.monthly_payment)}</dd>
      <dt>Origination fee</dt><dd className="num">{money(offer.fees)}</dd>
      <dt>Total interest</dt><dd className="num">{money(offer.total_interest)}</dd>
      <dt>Total cost of credit</dt><dd className="num">{money(offer.total_cost)}</dd>
      <dt>Total you repay</dt><dd className="num">{money(offer.total_repayment)}</dd>
    </dl>
  );
}

/** The review step; calls `onAccepted` once the API has recorded the acceptance. */
export function AcceptReview({ applicationId, offer, onCancel, onAccepted }: {
  applicationId: string; offer: Offer; onCancel: () => void; onAccepted: (o: Offer) => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const box = useRef<HTMLInputElement>(null);
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!agreed) {
      setMissing(true);
      box.current?.focus();
      return;
    }
    setBusy(true);
    const r = await acceptOffer(applicationId, offer.offer_id);
    setBusy(false);
    if (r.ok) onAccepted(offer);
    else setError(r.message);
  };
  return (
    <section className="card stack review" aria-labelledby="review-h">
      <h2 id="review-h" ref={heading} tabIndex={-1}>Review your loan before you accept</h2>
      <p>You are about to accept this offer. Please check the terms.</p>
      <Terms offer={offer} />
      <h3>What happens next</h3>
      <ul>
        <li>We record your acceptance and send you the loan agreement to sign.</li>
        <li>The money is paid out after you sign; the origination fee is deducted from it.</li>
        <li>You can withdraw during the cooling-off period without paying anything.</li>
      </ul>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="check">
          <input id="confirm-terms" ref={box} type="checkbox" checked={agreed}
            aria-invalid={missing && !agreed ? true : undefined}
            aria-describedby={missing && !agreed ? "confirm-terms-error" : undefined}
            onChange={(e) => setAgreed(e.target.checked)} />
          <label htmlFor="confirm-terms">
            I have read these terms and want to accept this loan of {money(offer.amount)} over {offer.tenure_months} months.
          </label>
        </div>
        {missing && !agreed && <span id="confirm-terms-error" className="error">Tick the box to confirm you accept these terms.</span>}
        {error && <Alert tone="bad" live>{error}</Alert>}
        <div className="row actions">
          <button type="submit" className="btn" disabled={busy}>{busy ? "Accepting…" : "Confirm and accept"}</button>
          <button type="button" className="btn secondary" onClick={onCancel}>Back to the offers</button>
        </div>
      </form>
    </section>
  );
}

/** After acceptance: the terms, what happens next and the cooling-off withdrawal. */
export function AcceptedConfirmation({ applicationId, offer }: { applicationId: string; offer: Offer }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [asking, setAsking] = useState(false);
  const [withdrawn, setWithdrawn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);
  const withdraw = async () => {
    const r = await withdrawApplication(applicationId);
    setAsking(false);
    if (r.ok) setWithdrawn(true);
    else setError(r.message);
  };
  return (
    <section className="card stack review" aria-labelledby="accepted-h">
      <h2 id="accepted-h" ref={heading} tabIndex={-1}>{withdrawn ? "You withdrew from this loan" : "You accepted your loan offer"}</h2>
      {withdrawn ? (
        <Alert tone="info" live>Your acceptance is withdrawn and nothing is owed. You can start a new application at any time.</Alert>
      ) : (
        <>
          <Alert tone="ok" live>
            Accepted: {money(offer.amount)} over {offer.tenure_months} months at {pct(offer.annual_rate_pct)}, {money(offer.monthly_payment)} a month.
          </Alert>
          <Terms offer={offer} />
          <h3>What happens next</h3>
          <ol>
            <li>We send you the loan agreement to sign.</li>
            <li>After you sign, we pay out {money(Number(offer.amount) - Number(offer.fees))} (the amount less the origination fee).</li>
          </ol>
          <h3>Changed your mind?</h3>
          <p>You can withdraw during the cooling-off period at no cost.</p>
          {!asking ? (
            <div className="row"><button type="button" className="btn secondary" onClick={() => setAsking(true)}>Withdraw from this loan</button></div>
          ) : (
            <div role="group" aria-label="Confirm withdrawal" className="stack">
              <p style={{ margin: 0 }}>Withdraw your acceptance? The offer will no longer be available.</p>
              <div className="row actions">
                <button type="button" className="btn danger" onClick={() => void withdraw()}>Yes, withdraw</button>
                <button type="button" className="btn secondary" onClick={() => setAsking(false)}>Keep my loan</button>
              </div>
            </div>
          )}
        </>
      )}
      {error && <Alert tone="bad" live>{error}</Alert>}
      <div className="row">
        <Link className="btn secondary" to={`/dashboard?application=${applicationId}`}>Go to my applications</Link>
        {!withdrawn && <Link className="btn secondary" to={`/applications/${applicationId}/feedback`}>Tell us how we did</Link>}
      </div>
    </section>
  );
}
