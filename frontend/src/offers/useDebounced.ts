import { useEffect, useState } from "react";

/** Return `value` once it has stopped changing for `ms` (so sliders do not flood the API). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
