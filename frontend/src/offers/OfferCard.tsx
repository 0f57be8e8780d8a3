// One priced offer as a card. Every figure is the API's (lending computes; the UI only formats).
import type { ReactNode } from "react";
import { money, months, pct } from "../lending/format";

type Num = string | number;
export type OfferView = {
  kind?: string;
  product?: string;
  amount: Num;
  tenure_months: number;
  annual_rate_pct: Num;
  apr_pct?: Num;
  monthly_payment: Num;
  total_cost?: Num;
  total_interest?: Num;
  fees?: Num;
  total_repayment?: Num;
};

const KIND_TITLES: Record<string, string> = {
  requested: "As you asked",
  shorter: "Pay it off sooner",
  lower_payment: "Lower monthly payment",
  largest_affordable: "Largest affordable",
  negotiated: "Adjusted terms",
};

export function offerTitle(o: OfferView): string {
  return (o.kind && KIND_TITLES[o.kind]) || "Offer";
}

export function asOfferView(x: unknown): OfferView | null {
  const o = x as Partial<OfferView> | null;
  return o && o.amount !== undefined && o.monthly_payment !== undefined && o.tenure_months !== undefined ? (o as OfferView) : null;
}

export function OfferCard({ offer, headingLevel = 3, best, children }: { offer: OfferView; headingLevel?: 2 | 3 | 4; best?: string; children?: ReactNode }) {
  const H = `h${headingLevel}` as "h2" | "h3" | "h4";
  return (
    <article className={`card offer${best ? " best" : ""}`} aria-label={`${offerTitle(offer)}: ${money(offer.monthly_payment)} a month`}>
      <H>{offerTitle(offer)}</H>
      {best && <p className="badge ok">{best}</p>}
      <p className="payment">
        {money(offer.monthly_payment)} <span className="muted" style={{ fontSize: "1rem", fontWeight: 400 }}>/ month</span>
      </p>
      <dl className="kv">
        <dt>Amount</dt>
        <dd>{money(offer.amount)}</dd>
        <dt>Term</dt>
        <dd>{months(offer.tenure_months)}</dd>
        <dt>Interest rate</dt>
        <dd>{pct(offer.annual_rate_pct)}</dd>
        {offer.apr_pct !== undefined && (
          <>
            <dt>APR</dt>
            <dd>{pct(offer.apr_pct)}</dd>
          </>
        )}
        {offer.total_cost !== undefined && (
          <>
            <dt>Total cost of credit</dt>
            <dd>{money(offer.total_cost)}</dd>
          </>
        )}
      </dl>
      {children}
    </article>
  );
}
