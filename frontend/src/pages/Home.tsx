import { Link } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { products } from "../lending/bounds";
import { money, pct } from "../lending/format";
import { usePageTitle } from "./usePageTitle";

export function Home() {
  usePageTitle("Home");
  const { user } = useAuth();
  return (
    <div className="stack">
      <section className="card stack">
        <h1>Find a loan that fits, and understand why</h1>
        <p>
          Loan Advisor checks what you can borrow, prices offers for your situation, explains every decision
          and lets you adjust the amount and term before you accept. An advisor answers your questions in chat,
          citing the lending policy.
        </p>
        <div className="row">
          <Link className="btn" to={user ? "/apply" : "/signup"}>{user ? "Start an application" : "Create an account to apply"}</Link>
          {!user && <Link className="btn secondary" to="/signin">Sign in</Link>}
        </div>
      </section>
      <section className="card" aria-labelledby="how">
        <h2 id="how">How applying works</h2>
        <ol>
          <li><strong>Create an account</strong> with your email address.</li>
          <li><strong>Tell us about you and the loan</strong> in four short steps. Your answers are saved on this device as you go.</li>
          <li><strong>Review and submit.</strong> You get a decision in seconds, with the reasons.</li>
          <li><strong>Compare offers.</strong> Adjust the amount and term, see the monthly payment and total cost change, and accept the one that suits you.</li>
          <li><strong>Upload documents</strong> if we ask for them, and track your application on your dashboard.</li>
        </ol>
      </section>
      <section aria-labelledby="products">
        <h2 id="products">Loans we offer</h2>
        <ul className="grid" style={{ listStyle: "none", padding: 0 }}>
          {Object.entries(products()).map(([key, p]) => (
            <li key={key} className="card">
              <h3>{p.label}</h3>
              <p className="muted">
                {money(p.amount.min, false)} to {money(p.amount.max, false)}, {p.tenure_months.min}–{p.tenure_months.max} months,
                rates from {pct(p.annual_rate_pct.min)} to {pct(p.annual_rate_pct.max)} a year.
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
