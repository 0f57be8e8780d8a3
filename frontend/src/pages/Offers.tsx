// The personalised offers for one application, as cards or a table (experiment variant).
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { getApplication, listOffers, type ApplicationView, type OfferRecord, type ReasonView } from "../api/endpoints";
import { Alert } from "../design/components";
import { useVariants } from "../experiments/variants";
import { money, months, pct } from "../lending/format";
import { OfferCard, offerTitle } from "../offers/OfferCard";
import { offersOf } from "../offers/normalize";
import { usePageTitle } from "./usePageTitle";

export function OfferTable({ offers, caption }: { offers: OfferRecord[]; caption: string }) {
  const rows: [string, (o: OfferRecord) => string][] = [
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
            {offers.map((o, i) => <th key={i} scope="col">{offerTitle(o)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, f]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {offers.map((o, i) => <td key={i}>{f(o)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Offers() {
  usePageTitle("Your offers");
  const { id = "" } = useParams();
  const { offer_presentation } = useVariants();
  const [offers, setOffers] = useState<OfferRecord[] | null>(null);
  const [note, setNote] = useState<string | undefined>();
  const [app, setApp] = useState<ApplicationView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void listOffers(id).then((r) => {
      if (!r.ok) return setError(r.message);
      const o = offersOf(r.data);
      setOffers(o.offers);
      setNote(o.note);
    });
    void getApplication(id).then((r) => r.ok && setApp(r.data));
  }, [id]);
  const reasons = (app?.decision?.reasons ?? []).map((r: ReasonView | string) => (typeof r === "string" ? r : r.message ?? r.text ?? ""));
  return (
    <div className="stack">
      <h1>Your offers</h1>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {offers === null && !error && <p role="status">Loading offers…</p>}
      {note && <p>{note}</p>}
      {app?.decision && (
        <section className="card" aria-labelledby="factors">
          <h2 id="factors">What shaped these offers</h2>
          <ul>
            {app.decision.risk_tier && <li>Your risk tier is {app.decision.risk_tier} (A is the lowest risk); it sets your interest rate within the product's range.</li>}
            {app.decision.dti_pct !== undefined && <li>With the loan you asked for, your debts would take {pct(app.decision.dti_pct)} of your income{app.decision.max_dti_pct !== undefined ? `; our limit is ${pct(app.decision.max_dti_pct)}` : ""}.</li>}
            {reasons.map((r, i) => <li key={i}>{r}</li>)}
          </ul>
        </section>
      )}
      {offers && offers.length === 0 && <Alert tone="warn">There are no offers for this application. The advisor can explain why and what could change that.</Alert>}
      {offers && offers.length > 0 && (offer_presentation === "table" ? (
        <OfferTable offers={offers} caption="Your offers side by side" />
      ) : (
        <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
          {offers.map((o, i) => <li key={i}><OfferCard offer={o} headingLevel={2} /></li>)}
        </ul>
      ))}
      <div className="row">
        <Link className="btn" to={`/applications/${id}/compare`}>Compare, adjust and accept</Link>
        <Link className="btn secondary" to="/dashboard">Back to my applications</Link>
      </div>
    </div>
  );
}
