import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";
import { loader as verifyLoader } from "~/routes/verify-email";
import { loader as settingsLoader } from "~/routes/settings";
import { action as profileAction } from "~/routes/settings._index";
import { action as emailAction } from "~/routes/settings.email";
import { action as passwordAction } from "~/routes/settings.password";
import { action as deleteAction } from "~/routes/settings.delete";
import { loader as sessionsLoader } from "~/routes/settings.sessions";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";
import { enrolTwoFactor } from "../support/two-factor";
import { issueAccountToken } from "~/models/account-token.server";

const database = useTestDatabase();

async function signedIn() {
  const user = await makeUser(database().db);
  return { user, cookie: await sessionCookie(user.id) };
}

describe("account pages", () => {
  it("the settings area needs a signed-in user", async () => {
    const res = await call(settingsLoader, get("/settings/email"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("forgot password: a bad address is refused at the field; a good one gets the same answer as any", async () => {
    const bad = await call(forgotAction, post("/forgot-password", { email: "not an email" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.email[0]).toMatch(/valid email/);
    const known = await makeUser(database().db);
    const a = await call(forgotAction, post("/forgot-password", { email: known.email }));
    const b = await call(forgotAction, post("/forgot-password", { email: "nobody@example.com" }));
    expect([a.status, a.headers.get("Location")]).toEqual([302, "/forgot-password?sent=1"]);
    expect([b.status, b.headers.get("Location")]).toEqual([302, "/forgot-password?sent=1"]);
  });

  it("reset and verify pages answer a forged link with 400 and a way to ask again", async () => {
    const reset = await call(resetLoader, get("/reset-password?token=forged"));
    expect(reset.status).toBe(400);
    expect(await reset.json()).toMatchObject({ problem: "invalid" });
    const verify = await call(verifyLoader, get("/verify-email"));
    expect(verify.status).toBe(400);
  });

  it("reset: an account with two-factor still passes its second step after a reset, not straight in", async () => {
    const user = await makeUser(database().db);
    await enrolTwoFactor(database().db, user.id);
    const token = await issueAccountToken(database().db, {
      userId: user.id,
      purpose: "reset_password",
      email: user.email,
    });
    const res = await call(
      resetAction,
      post("/reset-password", { token, newPassword: "a brand new one", confirmPassword: "a brand new one" }),
    );
    expect([res.status, res.headers.get("Location")]).toEqual([302, "/login/two-factor"]);
    expect(res.headers.get("Set-Cookie")).not.toMatch(/__colecta_session=[^;]/);
    const sessions = await database().db.selectFrom("sessions").where("user_id", "=", user.id).selectAll().execute();
    expect(sessions).toEqual([]);
  });

  it("reset: passwords that differ or are short are refused at their field, never echoed", async () => {
    const differ = await call(
      resetAction,
      post("/reset-password", { token: "t", newPassword: "long enough one", confirmPassword: "long enough two" }),
    );
    expect(differ.status).toBe(400);
    const body = await differ.json();
    expect(body.error.confirmPassword[0]).toMatch(/don't match/);
    expect(JSON.stringify(body)).not.toContain("long enough");
    const short = await call(
      resetAction,
      post("/reset-password", { token: "t", newPassword: "short", confirmPassword: "short" }),
    );
    expect((await short.json()).error.newPassword[0]).toMatch(/at least 10/);
  });

  it("profile: an empty name and an unknown language are refused at their fields", async () => {
    const { cookie } = await signedIn();
    const res = await call(profileAction, post("/settings", { name: "", locale: "fr" }, cookie));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.name[0]).toMatch(/Enter your name/);
    expect(body.error.locale[0]).toMatch(/languages offered/);
  });

  it("email: a wrong current password is refused at that field, keeping the new address typed", async () => {
    const { cookie } = await signedIn();
    const res = await call(
      emailAction,
      post("/settings/email", { newEmail: "new@example.com", currentPassword: "wrong" }, cookie),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.currentPassword[0]).toMatch(/current password/);
    expect(body.initialValue).toEqual({ newEmail: "new@example.com" });
  });

  it("password: the new one twice, the current one required", async () => {
    const { cookie } = await signedIn();
    const res = await call(
      passwordAction,
      post(
        "/settings/password",
        { currentPassword: "", newPassword: "long enough one", confirmPassword: "other" },
        cookie,
      ),
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.currentPassword[0]).toMatch(/Enter your password/);
    expect(body.error.confirmPassword[0]).toMatch(/don't match/);
  });

  it("delete: the password is required", async () => {
    const { cookie } = await signedIn();
    const res = await call(deleteAction, post("/settings/delete", { password: "" }, cookie));
    expect(res.status).toBe(400);
    expect((await res.json()).error.password[0]).toMatch(/Enter your password/);
  });

  it("sessions: lists this device, marked", async () => {
    const { cookie } = await signedIn();
    const res = await call(sessionsLoader, get("/settings/sessions", cookie));
    const { sessions } = await res.json();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ here: true, ip: "203.0.113.7" });
  });
});
