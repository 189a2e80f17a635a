// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import SignupPage from "~/routes/signup";
import LoginPage from "~/routes/login";

describe("the sign-up form", () => {
  it("shows each mistake next to its field before anything is sent, and keeps what was typed", async () => {
    const action = vi.fn(() => null);
    const Stub = createRemixStub([{ path: "/signup", Component: SignupPage, action }]);
    render(<Stub initialEntries={["/signup"]} />);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText("Name"), "Ada");
    await user.type(screen.getByLabelText("Email"), "ada@");
    await user.type(screen.getByLabelText("Password"), "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription(/valid email address/);
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/Use at least 10 characters/);
    expect(screen.getByLabelText("Name")).not.toHaveAttribute("aria-invalid");
    expect(email).toHaveValue("ada@");
    expect(action).not.toHaveBeenCalled();
  });

  it("shows the server's answer at the field when the email is taken", async () => {
    const action = vi.fn(async () =>
      Response.json(
        {
          status: "error",
          initialValue: { name: "Ada", email: "ada@example.com" },
          error: { email: ["An account with this email already exists."] },
        },
        { status: 400 },
      ),
    );
    const Stub = createRemixStub([{ path: "/signup", Component: SignupPage, action }]);
    render(<Stub initialEntries={["/signup"]} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Name"), "Ada");
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "long enough password");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    await waitFor(() => expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/already exists/));
    expect(action).toHaveBeenCalledTimes(1);
  });
});

describe("the sign-in form", () => {
  it("links to sign-up keeping the page to return to", () => {
    const Stub = createRemixStub([{ path: "/login", Component: LoginPage }]);
    render(<Stub initialEntries={["/login?redirectTo=%2Fprojects%2Fsolar"]} />);
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute(
      "href",
      "/signup?redirectTo=%2Fprojects%2Fsolar",
    );
    expect(screen.getByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
  });
});
