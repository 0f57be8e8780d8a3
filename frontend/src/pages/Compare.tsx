// Comparison tool: offers side by side with pros and cons; sliders re-price through the API.
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { acceptOffer, adjustOffer, compareOffers, getApplication, listOffers, type ComparisonView, type OfferRecord } from "../api/endpoints";
import { Alert } from "../design/components";
import { products } from "../lending/bounds";
import { money } from "../lending/format";
import { OfferCard } from "../offers/OfferCard";
import { offerOf, offersOf } from "../offers/normalize";
import { useDebounced } from "../offers/useDebounced";
import { usePageTitle } from "./usePageTitle";

export default function Compare() {
  usePageTitle("Compare offers");
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const [offers, setOffers] = useState<OfferRecord[]>([]);
  const [product, setProduct] = useState<string>("");
  const [terms, setTerms] = useState<{ amount: number; tenure_months: number } | null>(null);
  const [custom, setCustom] = useState<OfferRecord | null>(null);
  const [customMsg, setCustomMsg] = useState<string | null>(null);
  const [cmp, setCmp] = useState<ComparisonView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pricing, setPricing] = useState(false);
  const [accepted, setAccepted] = useState<string | null>(null);
  const debounced = useDebounced(terms, 400);
  const firstPrice = useRef(true);

  useEffect(() => {
    void listOffers(id).then((r) => {
      if (!r.ok) return setError(r.message);
      const list = offersOf(r.data).offers;
      setOffers(list);
      const first = list[0];
      if (first) {
        setProduct(first.product ?? "");
        setTerms({ amount: Number(first.amount), tenure_months: first.tenure_months });
      }
    });
    void getApplication(id).then((r) => r.ok && r.data.loan?.product && setProduct((p) => p || r.data.loan!.product));
  }, [id]);

  useEffect(() => {
    if (!debounced) return;
    if (firstPrice.current) {
      firstPrice.current = false;
      return;
    }
    let live = true;
    setPricing(true);
    void adjustOffer(id, debounced).then((r) => {
      if (!live) return;
      setPricing(false);
      if (r.ok) {
        setCustom(offerOf(r.data));
        setCustomMsg(null);
      } else {
        setCustom(null);
        setCustomMsg(r.message);
      }
    });
    return () => {
      live = false;
    };
  }, [debounced, id]);

  const all = custom ? [...offers, { ...custom, kind: custom.kind ?? "negotiated" }] : offers;
  const allKey = JSON.stringify(all.map((o) => [o.amount, o.tenure_months, o.monthly_payment]));
  useEffect(() => {
    if (all.length < 2) return setCmp(null);
    void compareOffers(id, all).then((r) => r.ok && setCmp(r.data));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [allKey, id]);

  const p = products()[product];
  const accept = async (o: OfferRecord) => {
    const r = await acceptOffer(id, o);
    if (!r.ok) return setError(r.message);
    setAccepted(`You accepted ${money(o.amount)} over ${o.tenure_months} months at ${money(o.monthly_payment)} a month.`);
    setTimeout(() => navigate(`/applications/${id}/feedback`), 1500);
  };
  const best = (i: number) =>
    cmp ? [i === cmp.best_payment && "Lowest payment", i === cmp.best_total_cost && "Lowest total cost", i === cmp.fastest_payoff && "Fastest payoff"].filter(Boolean).join(" · ") : "";

  return (
    <div className="stack">
      <h1>Compare and adjust your offers</h1>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {accepted && <Alert tone="ok" live>{accepted}</Alert>}
      {terms && p && (
        <section className="card stack" aria-labelledby="adjust">
          <h2 id="adjust">Try other terms</h2>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="amt">Amount: {money(terms.amount, false)}</label>
              <input id="amt" type="range" min={p.amount.min} max={p.amount.max} step={p.amount.max - p.amount.min >= 50000 ? 1000 : 500}
                value={terms.amount} aria-valuetext={money(terms.amount, false)}
                onChange={(e) => setTerms({ ...terms, amount: Number(e.target.value) })} />
              <label htmlFor="amt-n" className="visually-hidden">Amount in USD</label>
              <input id="amt-n" type="number" min={p.amount.min} max={p.amount.max} value={terms.amount}
                onChange={(e) => setTerms({ ...terms, amount: Number(e.target.value) })} />
            </div>
            <div className="field">
              <label htmlFor="ten">Term: {terms.tenure_months} months</label>
              <input id="ten" type="range" min={p.tenure_months.min} max={p.tenure_months.max} step={6}
                value={terms.tenure_months} aria-valuetext={`${terms.tenure_months} months`}
                onChange={(e) => setTerms({ ...terms, tenure_months: Number(e.target.value) })} />
              <label htmlFor="ten-n" className="visually-hidden">Term in months</label>
              <input id="ten-n" type="number" min={p.tenure_months.min} max={p.tenure_months.max} value={terms.tenure_months}
                onChange={(e) => setTerms({ ...terms, tenure_months: Number(e.target.value) })} />
            </div>
          </div>
          <div aria-live="polite" role="status">
            {pricing ? "Updating the price…" : customMsg ? customMsg : custom ? `With these terms: ${money(custom.monthly_payment)} a month, total cost ${money(custom.total_cost)}.` : ""}
          </div>
        </section>
      )}
      <ul className="grid" style={{ listStyle: "none", padding: 0 }} aria-label="Offers">
        {all.map((o, i) => {
          const row = cmp?.rows[i];
          return (
            <li key={i}>
              <OfferCard offer={o} headingLevel={2} best={best(i) || undefined}>
                {row && (
                  <>
                    {row.pros.length > 0 && (<><p style={{ margin: 0, fontWeight: 600 }}>Pros</p><ul className="pros">{row.pros.map((x) => <li key={x}>{x}</li>)}</ul></>)}
                    {row.cons.length > 0 && (<><p style={{ margin: 0, fontWeight: 600 }}>Cons</p><ul className="cons">{row.cons.map((x) => <li key={x}>{x}</li>)}</ul></>)}
                  </>
                )}
                <button type="button" className="btn" disabled={!!accepted} onClick={() => void accept(o)}
                  aria-label={`Accept: ${money(o.amount)} over ${o.tenure_months} months at ${money(o.monthly_payment)} a month`}>
                  Accept this offer
                </button>
              </OfferCard>
            </li>
          );
        })}
      </ul>
      <Link to={`/applications/${id}/offers`}>Back to offers</Link>
    </div>
  );
}
