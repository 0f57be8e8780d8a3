// The personalised offers for one application, as cards or a table (experiment variant).
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { listOffers, type Offer, type OfferSet } from "../api/endpoints";
import { Alert } from "../design/components";
import { reportExposure, reportOutcome } from "../experiments/events";
import { useVariants } from "../experiments/variants";
import { money, months, pct } from "../lending/format";
import { customerReasons } from "../lending/messages";
import { OfferCard, offerTitle } from "../offers/OfferCard";
import { usePageTitle } from "./usePageTitle";

export function OfferTable({ offers, caption }: { offers: Offer[]; caption: string }) {
  const rows: [string, (o: Offer) => string][] = [
    ["Monthly payment", (o) => money(o.monthly_payment)],
    ["Amount", (o) => money(o.amount)],
    ["Term", (o) => months(o.tenure_months)],
    ["Interest rate", (o) => pct(o.annual_rate_pct)],
    ["APR", (o) => pct(o.apr_pct)],
    ["Total cost of credit", (o) => money(o.total_cost)],
  ];
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <td />
            {offers.map((o) => <th key={o.offer_id} scope="col">{offerTitle(o)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, f]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {offers.map((o) => <td key={o.offer_id}>{f(o)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The main factors behind the offers, in words (figures are the API's). */
export function Factors({ set }: { set: OfferSet }) {
  const d = set.decision;
  if (!d) return null;
  return (
    <section className="card" aria-labelledby="factors">
      <h2 id="factors">What shaped these offers</h2>
      <ul>
        <li>Our assessment of your application sets your rate of <span className="num">{pct(d.annual_rate_pct)}</span> within the product's range.</li>
        <li>With the loan you asked for, your debts would take <span className="num">{pct(d.dti_pct)}</span> of your income; our limit is <span className="num">{pct(d.max_dti_pct)}</span>.</li>
        {customerReasons(d).map((r) => <li key={r}>{r}</li>)}
      </ul>
    </section>
  );
}

export default function Offers() {
  usePageTitle("Your offers");
  const { id = "" } = useParams();
  const { offer_presentation } = useVariants();
  const [set, setSet] = useState<OfferSet | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void listOffers(id).then((r) => (r.ok ? setSet(r.data) : setError(r.message))), [id]);
  const shown = (set?.offers.length ?? 0) > 0;
  useEffect(() => {
    if (!shown) return;
    reportExposure("offer_presentation"); // the presentation arm is on screen now
    reportOutcome("offer_viewed");
  }, [shown, id]);
  const offers = set?.offers.filter((o) => o.status !== "superseded") ?? [];
  return (
    <div className="stack">
      <h1>Your offers</h1>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {!set && !error && <p role="status">Loading offers…</p>}
      {set?.note && <p>{set.note}</p>}
      {set && <Factors set={set} />}
      {set?.accept_blocked && (
        <Alert tone="warn">{set.accept_blocked} <Link to={`/applications/${id}/compare`}>Go to your documents and offers</Link></Alert>
      )}
      {set && offers.length === 0 && <Alert tone="warn">There are no offers for this application. The advisor can explain why and what could change that.</Alert>}
      {offers.length > 0 && (offer_presentation === "table" ? (
        <OfferTable offers={offers} caption="Your offers side by side" />
      ) : (
        <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
          {offers.map((o) => <li key={o.offer_id}><OfferCard offer={o} headingLevel={2} /></li>)}
        </ul>
      ))}
      <div className="row">
        <Link className="btn" to={`/applications/${id}/compare`}>Compare, adjust and accept</Link>
        <Link className="btn secondary" to="/dashboard">Back to my applications</Link>
      </div>
    </div>
  );
}
