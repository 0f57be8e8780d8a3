import { useEffect } from "react";

/** Set the document title so each page is announced and distinguishable in history. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} — Loan Advisor`;
  }, [title]);
}
