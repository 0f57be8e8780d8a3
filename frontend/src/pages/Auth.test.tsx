import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { resetAuthProvider } from "../auth/provider";
import { mockFetch } from "../test/fetchMock";
import { SignIn, SignUp } from "./Auth";

afterEach(() => {
  vi.unstubAllGlobals();
  resetAuthProvider();
});

const at = (el: React.ReactNode) =>
  render(
    <MemoryRouter initialEntries={["/auth"]}>
      <Routes>
        <Route path="/auth" element={el} />
        <Route path="/dashboard" element={<h1>Dashboard</h1>} />
      </Routes>
    </MemoryRouter>,
  );

it("sign-up checks the email and password before calling the API", async () => {
  const calls = mockFetch({});
  const user = userEvent.setup();
  at(<SignUp />);
  await user.type(screen.getByLabelText("Email"), "not-an-email");
  await user.type(screen.getByLabelText(/^Password/), "short");
  await user.click(screen.getByRole("button", { name: "Create account" }));
  expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/name@example.com/);
  expect(screen.getByLabelText(/^Password/)).toHaveAttribute("aria-invalid", "true");
  expect(calls).toHaveLength(0);
});

it("sign-up signs in and goes to the dashboard; a sign-in that fails after it is explained", async () => {
  let first = true;
  const calls = mockFetch({
    "POST /v1/auth/signup": { status: 202, body: { status: "accepted", detail: "sign in with it" } },
    "POST /v1/auth/login": () => {
      const r = first ? { status: 401, body: { title: "Unauthorized", detail: "wrong email or password" } } : { status: 200, body: { access_token: "a.b.c", token_type: "bearer", expires_in: 60 } };
      first = false;
      return r;
    },
  });
  const user = userEvent.setup();
  at(<SignUp />);
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText(/^Password/), "long enough pw");
  await user.click(screen.getByRole("button", { name: "Create account" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("already have an account");
  await user.click(screen.getByRole("button", { name: "Create account" }));
  expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
  expect(localStorage.getItem("loan-advisor.token")).toBe("a.b.c");
  expect(JSON.parse(calls.find((c) => c.path === "/v1/auth/signup")!.body)).toEqual({ email: "ada@example.com", password: "long enough pw" });
});

it("sign-in explains a wrong password", async () => {
  mockFetch({ "POST /v1/auth/login": { status: 401, body: { title: "Unauthorized", detail: "wrong email or password" } } });
  const user = userEvent.setup();
  at(<SignIn />);
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "nope-nope");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("do not match");
});
