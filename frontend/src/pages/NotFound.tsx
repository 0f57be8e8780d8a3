import { Link } from "react-router-dom";
import { usePageTitle } from "./usePageTitle";

export function NotFound({ message = "We could not find that page." }: { message?: string }) {
  usePageTitle("Not found");
  return (
    <div className="card stack">
      <h1>Not found</h1>
      <p>{message}</p>
      <Link to="/">Go to the home page</Link>
    </div>
  );
}
