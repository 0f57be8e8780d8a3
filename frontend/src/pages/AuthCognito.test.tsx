// Sign-up, confirm and sign-in through Cognito, with Amplify Auth replaced at its module boundary.
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { api, setTokenSource } from "../api/client";
import { resetAuthProvider, signOutEverywhere } from "../auth/provider";
import { amplifyDouble, COGNITO_CONFIG, fakeJwt } from "../test/amplifyDouble";
import { axeViolations } from "../test/axe";
import { mockFetch } from "../test/fetchMock";
import { SignIn, SignUp } from "./Auth";

const amp = vi.hoisted(() => ({ double: null as ReturnType<typeof import("../test/amplifyDouble").amplifyDouble> | null }));
vi.mock("aws-amplify", () => ({ Amplify: { configure: (...a: unknown[]) => amp.double!.configure(...a) } }));
vi.mock("aws-amplify/auth", () => ({
  signUp: (...a: unknown[]) => amp.double!.signUp(...a),
  confirmSignUp: (...a: unknown[]) => amp.double!.confirmSignUp(...a),
  signIn: (...a: unknown[]) => amp.double!.signIn(...a),
  signOut: (...a: unknown[]) => amp.double!.signOut(...a),
  fetchAuthSession: (...a: unknown[]) => amp.double!.fetchAuthSession(...a),
}));

const ID_TOKEN = fakeJwt({ sub: "cognito-sub-1", email: "ada@example.com", "cognito:groups": [], token_use: "id" });
const session = (t: string | null) => ({ tokens: t ? { idToken: { toString: () => t } } : undefined });
let seenAuth: (string | null)[] = [];

beforeEach(() => {
  amp.double = amplifyDouble();
  amp.double.fetchAuthSession.mockResolvedValue(session(ID_TOKEN));
  amp.double.signIn.mockResolvedValue({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
  seenAuth = [];
  mockFetch({
    "GET /v1/auth/config": { body: COGNITO_CONFIG },
    "GET /v1/auth/me": (req) => {
      seenAuth.push(req.headers.get("Authorization"));
      return { body: { user_id: "cognito-sub-1", role: "applicant", email: "ada@example.com" } };
    },
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  resetAuthProvider();
  setTokenSource(null);
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

async function fillSignUp(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText(/^Password/), "Long-enough-1");
  await user.click(screen.getByRole("button", { name: "Create account" }));
}

it("signs up, confirms the emailed code, signs in and sends the Cognito ID token to the API", async () => {
  amp.double!.signUp.mockResolvedValue({ isSignUpComplete: false, nextStep: { signUpStep: "CONFIRM_SIGN_UP" } });
  amp.double!.confirmSignUp.mockResolvedValue({ isSignUpComplete: true, nextStep: { signUpStep: "DONE" } });
  const user = userEvent.setup();
  at(<SignUp />);
  await fillSignUp(user);
  const heading = await screen.findByRole("heading", { name: "Confirm your email" });

  // Configured at run time from the API's answer, not from build flags.
  expect(amp.double!.configure).toHaveBeenCalledWith({
    Auth: { Cognito: { userPoolId: "eu-west-1_Ab12Cd34", userPoolClientId: "client123", loginWith: { email: true } } },
  });
  expect(amp.double!.signUp).toHaveBeenCalledWith({
    username: "ada@example.com",
    password: "Long-enough-1",
    options: { userAttributes: { email: "ada@example.com" } },
  });
  await waitFor(() => expect(heading).toHaveFocus()); // focus moves in an effect after the render
  expect(screen.getByRole("status")).toHaveTextContent("ada@example.com");

  await user.type(screen.getByLabelText("Confirmation code"), "123456");
  await user.click(screen.getByRole("button", { name: "Confirm" }));
  expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
  expect(amp.double!.confirmSignUp).toHaveBeenCalledWith({ username: "ada@example.com", confirmationCode: "123456" });
  expect(amp.double!.signIn).toHaveBeenCalledWith({ username: "ada@example.com", password: "Long-enough-1" });
  expect(localStorage.getItem("loan-advisor.token")).toBe(ID_TOKEN);

  await api.GET("/v1/auth/me");
  // A refreshed session (Amplify renews the ID token) is what the next call carries.
  const renewed = fakeJwt({ sub: "cognito-sub-1", email: "ada@example.com", token_use: "id", renewed: true });
  amp.double!.fetchAuthSession.mockResolvedValue(session(renewed));
  await api.GET("/v1/auth/me");
  expect(seenAuth).toEqual([`Bearer ${ID_TOKEN}`, `Bearer ${renewed}`]);
});

it("the confirm step ties code errors to the field, moves focus there and passes axe", async () => {
  amp.double!.signUp.mockResolvedValue({ isSignUpComplete: false, nextStep: { signUpStep: "CONFIRM_SIGN_UP" } });
  amp.double!.confirmSignUp.mockRejectedValue(Object.assign(new Error("Invalid code"), { name: "CodeMismatchException" }));
  const user = userEvent.setup();
  const { container } = at(<SignUp />);
  await fillSignUp(user);
  const code = await screen.findByLabelText("Confirmation code");
  expect(await axeViolations(container)).toEqual([]);

  await user.type(code, "12ab");
  await user.click(screen.getByRole("button", { name: "Confirm" }));
  expect(code).toHaveAccessibleDescription("Enter the 6-digit code from the email.");
  expect(code).toHaveAttribute("aria-invalid", "true");
  expect(code).toHaveFocus();
  expect(amp.double!.confirmSignUp).not.toHaveBeenCalled();

  await user.clear(code);
  await user.type(code, "654321");
  await user.click(screen.getByRole("button", { name: "Confirm" }));
  expect(await screen.findByText(/That code is not right/)).toBeInTheDocument();
  expect(code).toHaveAccessibleDescription(/That code is not right/);
  expect(code).toHaveFocus();
  expect(amp.double!.signIn).not.toHaveBeenCalled();
  expect(localStorage.getItem("loan-advisor.token")).toBeNull();
  expect(await axeViolations(container)).toEqual([]);
});

it("Cognito's sign-up errors go to the password field or the page alert", async () => {
  amp.double!.signUp
    .mockRejectedValueOnce(Object.assign(new Error("Password did not conform"), { name: "InvalidPasswordException" }))
    .mockRejectedValueOnce(Object.assign(new Error("User exists"), { name: "UsernameExistsException" }));
  const user = userEvent.setup();
  at(<SignUp />);
  await fillSignUp(user);
  expect(await screen.findByLabelText(/^Password/)).toHaveAccessibleDescription(/upper and lower case/);
  expect(screen.getByLabelText(/^Password/)).toHaveAttribute("aria-invalid", "true");
  await user.click(screen.getByRole("button", { name: "Create account" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("already exists");
  expect(screen.getByLabelText(/^Password/)).not.toHaveAttribute("aria-invalid");
});

it("sign-in explains a wrong password, sends an unconfirmed account to the code step, and signs out of Cognito", async () => {
  amp.double!.signIn
    .mockRejectedValueOnce(Object.assign(new Error("Incorrect username or password."), { name: "NotAuthorizedException" }))
    .mockResolvedValueOnce({ isSignedIn: false, nextStep: { signInStep: "CONFIRM_SIGN_UP" } });
  const user = userEvent.setup();
  at(<SignIn />);
  await user.type(screen.getByLabelText("Email"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "Long-enough-1");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("do not match");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("heading", { name: "Confirm your email" })).toBeInTheDocument();

  localStorage.setItem("loan-advisor.token", ID_TOKEN);
  amp.double!.signOut.mockResolvedValue(undefined);
  signOutEverywhere();
  await vi.waitFor(() => expect(amp.double!.signOut).toHaveBeenCalled());
  expect(localStorage.getItem("loan-advisor.token")).toBeNull();
});
