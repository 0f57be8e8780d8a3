// Accept the offer list shapes the API may return ([...] or {offers:[...], note}).
import type { OfferRecord } from "../api/endpoints";

export function offersOf(data: unknown): { offers: OfferRecord[]; note?: string } {
  if (Array.isArray(data)) return { offers: data as OfferRecord[] };
  const d = (data ?? {}) as { offers?: OfferRecord[]; note?: string; offer_set?: { offers?: OfferRecord[]; note?: string } };
  const set = d.offer_set ?? d;
  return { offers: set.offers ?? [], note: set.note };
}

export function offerOf(data: unknown): OfferRecord | null {
  const d = data as { offer?: OfferRecord } & OfferRecord;
  if (d && typeof d === "object" && "offer" in d && d.offer) return d.offer;
  return d && d.monthly_payment !== undefined ? d : null;
}
