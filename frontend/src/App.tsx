// App shell: skip link, header navigation, routes, the advisor chat beside every page.
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from "react";
import { HashRouter, Navigate, NavLink, Route, Routes, useLocation } from "react-router-dom";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { ChatPanel } from "./chat/ChatPanel";
import { FloatingChat } from "./chat/FloatingChat";
import { useVariants } from "./experiments/variants";
import { VariantsProvider } from "./experiments/VariantsProvider";
import { Apply } from "./pages/Apply";
import { Dashboard } from "./pages/Dashboard";
import { Home } from "./pages/Home";
import { NotFound } from "./pages/NotFound";
import { SignIn, SignUp } from "./pages/Auth";

// Less-visited pages load on demand to keep the first download small.
const Offers = lazy(() => import("./pages/Offers"));
const Compare = lazy(() => import("./pages/Compare"));
const Feedback = lazy(() => import("./pages/Feedback"));
const ChatPage = lazy(() => import("./pages/ChatPage"));
const Staff = lazy(() => import("./pages/Staff"));
const KbDocument = lazy(() => import("./pages/KbDocument"));

function RequireAuth({ children, role }: { children: ReactNode; role?: string }) {
  const { user } = useAuth();
  const loc = useLocation();
  if (!user) return <Navigate to={`/signin?next=${encodeURIComponent(loc.pathname)}`} replace />;
  if (role && !user.roles.includes(role)) return <NotFound message="This area is for staff only." />;
  return <>{children}</>;
}

function Header() {
  const { user, signOut } = useAuth();
  const loc = useLocation();
  // On a phone the links collapse behind a Menu button; any navigation closes it again.
  const [menu, setMenu] = useState(false);
  useEffect(() => setMenu(false), [loc.pathname]);
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <NavLink to="/" className="brand">Loan Advisor</NavLink>
        <button type="button" className="btn secondary menu-toggle" aria-expanded={menu} aria-controls="main-nav" onClick={() => setMenu(!menu)}>
          {menu ? "Close menu" : "Menu"}
        </button>
        <nav aria-label="Main" className={menu ? "open" : undefined}>
          <ul className="nav" id="main-nav">
            <li><NavLink to="/apply">Apply</NavLink></li>
            {user && <li><NavLink to="/dashboard">My applications</NavLink></li>}
            <li><NavLink to="/chat">Advisor</NavLink></li>
            {user?.roles.includes("staff") && <li><NavLink to="/staff">Staff</NavLink></li>}
            {user ? (
              <li><button type="button" className="btn link" onClick={signOut}>Sign out</button></li>
            ) : (
              <>
                <li><NavLink to="/signin">Sign in</NavLink></li>
                <li><NavLink to="/signup">Create account</NavLink></li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/** Move focus to the page's main landmark after navigation so keyboard and screen-reader users start there. */
function useFocusOnNavigate(ref: React.RefObject<HTMLElement | null>) {
  const loc = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    ref.current?.focus();
    window.scrollTo?.(0, 0);
  }, [loc.pathname, ref]);
}

function SideChat() {
  const { user } = useAuth();
  const { chat_layout } = useVariants();
  const loc = useLocation();
  if (!user || loc.pathname === "/chat") return null;
  if (chat_layout === "panel") return <aside aria-label="Advisor"><ChatPanel /></aside>;
  return <FloatingChat />;
}

function Shell() {
  const main = useRef<HTMLElement>(null);
  const { user } = useAuth();
  useFocusOnNavigate(main);
  const loc = useLocation();
  const { chat_layout } = useVariants();
  const withChat = !!user && loc.pathname !== "/chat" && chat_layout === "panel";
  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to main content
      </a>
      <Header />
      <div className={`layout${withChat ? " with-chat" : ""}`}>
        <main id="main" ref={main} tabIndex={-1}>
          <Suspense fallback={<p role="status">Loading…</p>}>
            <Routes>
              <Route path="/" element={<Home />} />
              <Route path="/signin" element={<SignIn />} />
              <Route path="/signup" element={<SignUp />} />
              <Route path="/apply" element={<RequireAuth><Apply /></RequireAuth>} />
              <Route path="/dashboard" element={<RequireAuth><Dashboard /></RequireAuth>} />
              <Route path="/applications/:id/offers" element={<RequireAuth><Offers /></RequireAuth>} />
              <Route path="/applications/:id/compare" element={<RequireAuth><Compare /></RequireAuth>} />
              <Route path="/applications/:id/feedback" element={<RequireAuth><Feedback /></RequireAuth>} />
              <Route path="/offers" element={<RequireAuth><Navigate to="/dashboard" replace /></RequireAuth>} />
              <Route path="/chat" element={<RequireAuth><ChatPage /></RequireAuth>} />
              <Route path="/staff/*" element={<RequireAuth role="staff"><Staff /></RequireAuth>} />
              <Route path="/kb/:docId" element={<RequireAuth><KbDocument /></RequireAuth>} />
              <Route path="*" element={<NotFound />} />
            </Routes>
          </Suspense>
        </main>
        <SideChat />
      </div>
      <footer className="footer">
        Loan Advisor — figures come from the lender's policy and risk model. Questions? Ask the advisor.
      </footer>
    </div>
  );
}

/** UI experiment arms for the signed-in user, from the API's assignment (see VariantsProvider). */
function AssignedVariants({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  return <VariantsProvider userId={user?.id ?? null}>{children}</VariantsProvider>;
}

export function App() {
  return (
    <AuthProvider>
      <AssignedVariants>
        <HashRouter>
          <Shell />
        </HashRouter>
      </AssignedVariants>
    </AuthProvider>
  );
}
