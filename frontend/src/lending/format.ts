// Display formatting only: numbers themselves always come from the API (lending/scoring).
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usd0 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** Format a USD amount given as the API's decimal string or a number. */
export function money(v: string | number | null | undefined, cents = true): string {
  if (v === null || v === undefined || v === "") return "—";
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? (cents ? usd : usd0).format(n) : String(v);
}

export function pct(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === "") return "—";
  return `${Number(v).toFixed(2)}%`;
}

export function months(n: number): string {
  const y = Math.floor(n / 12);
  const m = n % 12;
  const parts = [y ? `${y} yr` : "", m ? `${m} mo` : ""].filter(Boolean);
  return `${n} months${y ? ` (${parts.join(" ")})` : ""}`;
}
