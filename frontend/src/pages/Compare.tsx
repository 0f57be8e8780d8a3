// Comparison tool: offers side by side with pros and cons; sliders re-price through the API.
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { adjustOffers, compareOffers, listOffers, type Comparison, type Offer, type RequiredDocument } from "../api/endpoints";
import { Alert } from "../design/components";
import { products } from "../lending/bounds";
import { money } from "../lending/format";
import { AcceptedConfirmation, AcceptReview } from "../offers/AcceptReview";
import { OfferCard } from "../offers/OfferCard";
import { RequiredDocuments } from "../offers/RequiredDocuments";
import { useDebounced } from "../offers/useDebounced";
import { usePageTitle } from "./usePageTitle";

type Terms = { amount: number; tenure_months: number };

export default function Compare() {
  usePageTitle("Compare offers");
  const { id = "" } = useParams();
  const [offers, setOffers] = useState<Offer[]>([]);
  const [note, setNote] = useState("");
  const [terms, setTerms] = useState<Terms | null>(null);
  const [priced, setPriced] = useState<Terms | null>(null);
  const [cmp, setCmp] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [reviewing, setReviewing] = useState<Offer | null>(null);
  const [accepted, setAccepted] = useState<Offer | null>(null);
  const [documents, setDocuments] = useState<RequiredDocument[]>([]);
  // Why Accept waits (documents of a conditional approval), as the API words it.
  const [blocked, setBlocked] = useState<string | null>(null);
  const debounced = useDebounced(terms, 400);

  useEffect(() => {
    void listOffers(id).then((r) => {
      if (!r.ok) return setError(r.message);
      setOffers(r.data.offers.filter((o) => o.status === "active"));
      setDocuments(r.data.documents ?? []);
      setBlocked(r.data.accept_blocked ?? null);
      const d = r.data.decision;
      const t = d ? { amount: Number(d.amount), tenure_months: d.tenure_months } : null;
      setTerms(t);
      setPriced(t);
    });
  }, [id]);

  // Re-price when the slider settles on terms that differ from the ones already priced.
  useEffect(() => {
    if (!debounced || !priced || (debounced.amount === priced.amount && debounced.tenure_months === priced.tenure_months)) return;
    let live = true;
    setStatus("Updating your offers…");
    void adjustOffers(id, { amount: String(debounced.amount), tenure_months: debounced.tenure_months }).then((r) => {
      if (!live) return;
      setPriced(debounced);
      if (!r.ok) return setStatus(r.message);
      const active = r.data.offers.filter((o) => o.status === "active");
      setOffers(active);
      setNote(r.data.note);
      setBlocked(r.data.accept_blocked ?? null);
      const first = active[0];
      setStatus(
        first
          ? `Updated for ${money(debounced.amount, false)} over ${debounced.tenure_months} months: ${active.length} offers, from ${money(first.monthly_payment)} a month.`
          : `No offers for ${money(debounced.amount, false)} over ${debounced.tenure_months} months.`,
      );
    });
    return () => {
      live = false;
    };
  }, [debounced, priced, id]);

  const ids = offers.map((o) => o.offer_id).slice(0, 6);
  const idKey = ids.join(",");
  useEffect(() => {
    if (ids.length < 2) return setCmp(null);
    void compareOffers(id, ids).then((r) => (r.ok ? setCmp(r.data) : setCmp(null)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idKey, id]);

  const p = offers[0]?.product ? products()[offers[0].product] : undefined;
  // Offers priced for other terms than the sliders show are stale until the re-price lands.
  const stale = !!terms && !!priced && (terms.amount !== priced.amount || terms.tenure_months !== priced.tenure_months);
  const best = (oid: string) =>
    cmp ? [oid === cmp.best_payment && "Lowest payment", oid === cmp.best_total_cost && "Lowest total cost", oid === cmp.fastest_payoff && "Fastest payoff"].filter(Boolean).join(" · ") : "";
  const rowFor = (oid: string) => cmp?.rows.find((r) => r.offer.offer_id === oid);

  return (
    <div className="stack">
      <h1>Compare and adjust your offers</h1>
      {error && <Alert tone="bad" live>{error}</Alert>}
      {accepted && <AcceptedConfirmation applicationId={id} offer={accepted} />}
      {!accepted && reviewing && (
        <AcceptReview applicationId={id} offer={reviewing} onCancel={() => setReviewing(null)}
          onAccepted={(o) => { setReviewing(null); setAccepted(o); }} />
      )}
      {!accepted && !reviewing && terms && p && (
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
          <p aria-live="polite" role="status" style={{ margin: 0 }}>{status}</p>
        </section>
      )}
      {!accepted && !reviewing && (
        <RequiredDocuments applicationId={id} documents={documents}
          onChange={(a) => { setDocuments(a.documents ?? []); setBlocked(a.accept_blocked ?? null); }} />
      )}
      {!accepted && !reviewing && blocked && <p id="accept-blocked" className="alert warn">{blocked}</p>}
      {!accepted && !reviewing && note && <p>{note}</p>}
      {!accepted && !reviewing && (
      <ul className={`grid offers${stale ? " stale" : ""}`} style={{ listStyle: "none", padding: 0 }} aria-label="Offers" aria-busy={stale || undefined}>
        {offers.map((o) => {
          const row = rowFor(o.offer_id);
          return (
            <li key={o.offer_id}>
              <OfferCard offer={o} headingLevel={2} best={best(o.offer_id) || undefined}>
                {row && (
                  <>
                    {row.pros.length > 0 && (<><p style={{ margin: 0, fontWeight: 600 }}>Pros</p><ul className="pros">{row.pros.map((x) => <li key={x}>{x}</li>)}</ul></>)}
                    {row.cons.length > 0 && (<><p style={{ margin: 0, fontWeight: 600 }}>Cons</p><ul className="cons">{row.cons.map((x) => <li key={x}>{x}</li>)}</ul></>)}
                  </>
                )}
                <button type="button" className="btn" disabled={stale || !!blocked} onClick={() => setReviewing(o)}
                  aria-describedby={blocked ? "accept-blocked" : undefined}>
                  {stale ? "Updating…" : blocked ? "Documents needed first" : "Review and accept"}
                  <span className="visually-hidden">: {money(o.amount)} over {o.tenure_months} months at {money(o.monthly_payment)} a month</span>
                </button>
              </OfferCard>
            </li>
          );
        })}
      </ul>
      )}
      {!accepted && !reviewing && offers.length === 0 && !error && terms && (
        <Alert tone="warn">No offers for these terms. Try another amount or term, or <Link to="/chat">ask the advisor</Link>.</Alert>
      )}
      {!accepted && <Link to={`/applications/${id}/offers`}>Back to offers</Link>}
    </div>
  );
}
