// Local mode must not load Amplify at all; Cognito mode loads it on demand.
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { setTokenSource } from "../api/client";
import { SignIn } from "../pages/Auth";
import { COGNITO_CONFIG } from "../test/amplifyDouble";
import { mockFetch } from "../test/fetchMock";
import { getAuthConfig, loadCognito, resetAuthProvider } from "./provider";

const imported = vi.hoisted(() => ({ auth: 0, core: 0 }));
vi.mock("aws-amplify", () => {
  imported.core += 1;
  return { Amplify: { configure: () => undefined } };
});
vi.mock("aws-amplify/auth", () => {
  imported.auth += 1;
  return { signIn: vi.fn(), signUp: vi.fn(), confirmSignUp: vi.fn(), signOut: vi.fn(), fetchAuthSession: vi.fn() };
});

afterEach(() => {
  vi.unstubAllGlobals();
  resetAuthProvider();
  setTokenSource(null);
});

it("local mode signs in through the API and never imports Amplify", async () => {
  const calls = mockFetch({
    "GET /v1/auth/config": { body: { provider: "local" } },
    "POST /v1/auth/login": { body: { access_token: "a.b.c", token_type: "bearer", expires_in: 60 } },
  });
  const user = userEvent.setup();
  render(
    <MemoryRouter initialEntries={["/auth"]}>
      <Routes>
        <Route path="/auth" element={<SignIn />} />
        <Route path="/dashboard" element={<h1>Dashboard</h1>} />
      </Routes>
    </MemoryRouter>,
  );
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "long enough pw");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
  expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /v1/auth/config", "POST /v1/auth/login"]);
  expect(imported).toEqual({ auth: 0, core: 0 });
});

it("an unreachable config endpoint falls back to local and is asked again next time", async () => {
  const calls = mockFetch({});
  expect(await getAuthConfig()).toEqual({ provider: "local" });
  await getAuthConfig();
  expect(calls.filter((c) => c.path === "/v1/auth/config")).toHaveLength(2);
  expect(imported.auth).toBe(0);
});

it("cognito mode loads the Amplify adapter on demand (so the check above can fail)", async () => {
  mockFetch({ "GET /v1/auth/config": { body: COGNITO_CONFIG } });
  const cfg = await getAuthConfig();
  expect(cfg.provider).toBe("cognito");
  await loadCognito(cfg);
  expect(imported).toEqual({ auth: 1, core: 1 });
});
