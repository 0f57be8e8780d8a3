// Status tones for badges; labels and next steps come from the message catalogue where it has them.
import { statusText } from "../lending/messages";

export type Tone = "ok" | "warn" | "bad" | "info";

const STATUS: Record<string, { label: string; tone: Tone; next: string }> = {
  received: { label: "Received", tone: "info", next: "We are checking your application; the decision appears here." },
  referred: { label: "Under review", tone: "warn", next: "A loan officer is reviewing it." },
  submitted: { label: "Submitted", tone: "info", next: "We are checking your application." },
  under_review: { label: "Under review", tone: "warn", next: "A loan officer is reviewing it. Upload any documents we ask for to speed this up." },
  pending_documents: { label: "Documents needed", tone: "warn", next: "Upload the documents listed below." },
  conditionally_approved: { label: "Approved with conditions", tone: "ok", next: "Upload the documents listed below, then choose an offer." },
  approved: { label: "Approved", tone: "ok", next: "Compare your offers and accept the one that suits you." },
  offer_accepted: { label: "Offer accepted", tone: "ok", next: "We will contact you to sign the agreement." },
  accepted: { label: "Offer accepted", tone: "ok", next: "We will contact you to sign the agreement." },
  declined: { label: "Declined", tone: "bad", next: "See the reasons below. The advisor can suggest changes that could lead to an approval." },
  rejected: { label: "Declined", tone: "bad", next: "See the reasons below. The advisor can suggest changes that could lead to an approval." },
  withdrawn: { label: "Withdrawn", tone: "info", next: "You withdrew this application. You can start a new one at any time." },
  refer: { label: "Under review", tone: "warn", next: "A loan officer is reviewing it." },
};

export function statusInfo(status: string | undefined | null): { label: string; tone: Tone; next: string } {
  const s = (status ?? "").toLowerCase();
  const known = STATUS[s];
  if (known) return { ...known, ...(statusText(s).next ? statusText(s) : {}) };
  return { label: s ? s.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()) : "Unknown", tone: "info", next: "" };
}

export function canHaveOffers(status: string | undefined | null): boolean {
  return status === "approved";
}

export function isDecided(status: string | undefined | null): boolean {
  return ["approved", "declined", "offer_accepted"].includes(status ?? "");
}
