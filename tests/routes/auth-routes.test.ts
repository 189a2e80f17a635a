import { action as signupAction } from "~/routes/signup";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { loader as rootLoader } from "~/root";
import { loader as healthLoader } from "~/routes/healthz";
import { useTestDatabase } from "../support/database";
import { call, cookieOf, post } from "../support/routes";

const database = useTestDatabase();

describe("sign-up", () => {
  it.each([
    [{ name: "Ana", email: "not-an-email", password: "long enough pw" }, "email", /valid email/],
    [{ name: "Ana", email: "ana@example.com", password: "short" }, "password", /at least 10 characters/],
    [{ name: "", email: "ana@example.com", password: "long enough pw" }, "name", /Enter your name/],
    [{ name: "A".repeat(101), email: "ana@example.com", password: "long enough pw" }, "name", /under 100 characters/],
    [{ name: "Ana", email: `${"a".repeat(250)}@example.com`, password: "long enough pw" }, "email", /too long/],
    [{ name: "Ana", email: "ana@example.com", password: "p".repeat(201) }, "password", /at most 200/],
  ])("rejects %o with 400 and a message at the %s field, keeping what was typed", async (fields, field, message) => {
    const res = await call(signupAction, post("/signup", fields));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error[field][0]).toMatch(message);
    // Conform's answer echoes what was typed (an empty field is left out), never the password.
    expect(body.initialValue).toEqual({ name: fields.name || undefined, email: fields.email });
    expect(JSON.stringify(body)).not.toContain(fields.password);
    expect(await database().db.selectFrom("users").select("id").execute()).toHaveLength(0);
  });

  it("rejects a taken email at the email field", async () => {
    const fields = { name: "Taken", email: "taken@example.com", password: "long enough pw" };
    expect((await call(signupAction, post("/signup", fields))).status).toBe(302);
    const res = await call(signupAction, post("/signup", { ...fields, email: "Taken@Example.com" }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.email[0]).toMatch(/already exists/);
  });

  it("signs the new user in and only follows a same-site redirect", async () => {
    const res = await call(
      signupAction,
      post("/signup", {
        name: "Nia",
        email: "nia@example.com",
        password: "long enough pw",
        redirectTo: "//evil.example/steal",
      }),
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    const root = await call(rootLoader, new Request("http://localhost/", { headers: { Cookie: cookieOf(res) } }));
    expect((await root.json()).user).toMatchObject({ name: "Nia", email: "nia@example.com", roles: [] });
  });
});

describe("sign-in and sign-out", () => {
  it("answers a wrong password with one generic message", async () => {
    await call(signupAction, post("/signup", { name: "Lu", email: "lu@example.com", password: "long enough pw" }));
    for (const email of ["lu@example.com", "nobody@example.com"]) {
      const res = await call(loginAction, post("/login", { email, password: "not the password" }));
      expect(res.status).toBe(400);
      const body = await res.json();
      // The form's own errors are under the empty name.
      expect(body.error[""]).toEqual(["That email and password don't match an account."]);
      expect(body.initialValue).toEqual({ email });
    }
  });

  it("returns 429 with a clear message once an account is rate limited", async () => {
    await call(signupAction, post("/signup", { name: "Rae", email: "rae@example.com", password: "long enough pw" }));
    for (let i = 0; i < 5; i++)
      await call(
        loginAction,
        post("/login", { email: "rae@example.com", password: `wrong ${i}` }),
        {},
        {
          clientIp: `198.51.100.${i}`,
        },
      );
    const res = await call(
      loginAction,
      post("/login", { email: "rae@example.com", password: "long enough pw" }),
      {},
      { clientIp: "198.51.100.99" },
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect((await res.json()).error[""][0]).toMatch(/Too many sign-in attempts/);
  });

  it("signs in, comes back to the page asked for, and signs out for good", async () => {
    await call(signupAction, post("/signup", { name: "Kim", email: "kim@example.com", password: "long enough pw" }));
    const login = await call(
      loginAction,
      post("/login", { email: "kim@example.com", password: "long enough pw", redirectTo: "/me/pledges?x=1" }),
    );
    expect(login.status).toBe(302);
    expect(login.headers.get("Location")).toBe("/me/pledges?x=1");
    const cookie = cookieOf(login);

    const logout = await call(logoutAction, post("/logout", {}, cookie));
    expect(logout.status).toBe(302);
    expect(logout.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    // The old cookie no longer works: the session row is gone.
    const root = await call(rootLoader, new Request("http://localhost/", { headers: { Cookie: cookie } }));
    expect((await root.json()).user).toBeNull();
  });

  it("a body that is not a form is a 400, not a 500", async () => {
    const res = await call(
      loginAction,
      new Request("http://localhost/login", {
        method: "POST",
        body: "--x\r\ngarbage",
        headers: { "Content-Type": "multipart/form-data; boundary=zz" },
      }),
    );
    expect(res.status).toBe(400);
  });
});

describe("health check", () => {
  it("reports which database and Stripe mode are in use", async () => {
    const ok = await call(healthLoader, new Request("http://localhost/healthz"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, db: database().kind, stripe: "emulator", pid: process.pid });
  });
});
