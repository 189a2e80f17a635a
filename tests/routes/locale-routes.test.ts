import { loader as rootLoader } from "~/root";
import { action as loginAction } from "~/routes/login";
import { action as localeAction } from "~/routes/locale";
import { action as signupAction } from "~/routes/signup";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { call, post, sessionCookie } from "../support/routes";

const database = useTestDatabase();

async function rootLocale(headers: Record<string, string>) {
  const res = await call(rootLoader, new Request("http://localhost/", { headers }));
  return (await res.json()).locale;
}

describe("the language switch", () => {
  it("remembers a visitor's choice in a year-long cookie and goes back to the page", async () => {
    const res = await call(localeAction, post("/locale", { locale: "es", redirectTo: "/discover?q=solar" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/discover?q=solar");
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^colecta_lang=es;/);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(await rootLocale({ Cookie: "colecta_lang=es" })).toBe("es");
  });

  it("saves a signed-in user's choice, which then wins over the cookie and the browser", async () => {
    const { db } = database();
    const user = await makeUser(db, "Lucía");
    const session = await sessionCookie(user.id);
    const res = await call(localeAction, post("/locale", { locale: "es", redirectTo: "/me/pledges" }, session));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/me/pledges");
    const row = await db.selectFrom("users").select("locale").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.locale).toBe("es");
    expect(await rootLocale({ Cookie: `${session}; colecta_lang=en`, "Accept-Language": "en-US" })).toBe("es");
  });

  it("refuses a language the site does not speak with 400, and changes nothing", async () => {
    const junk: Record<string, string>[] = [{ locale: "fr" }, { locale: "" }, {}, { locale: "es'; drop table users" }];
    for (const fields of junk) {
      const res = await call(localeAction, post("/locale", { ...fields, redirectTo: "/" }));
      expect(res.status).toBe(400);
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
  });

  it("only goes back to a page of this site", async () => {
    for (const redirectTo of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]) {
      const res = await call(localeAction, post("/locale", { locale: "en", redirectTo }));
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/");
    }
  });
});

describe("the page's language", () => {
  it("follows the cookie, then Accept-Language, then English, and ignores junk", async () => {
    expect(await rootLocale({ Cookie: "colecta_lang=es", "Accept-Language": "en" })).toBe("es");
    expect(await rootLocale({ "Accept-Language": "fr;q=1, es-MX;q=0.8" })).toBe("es");
    expect(await rootLocale({ Cookie: "colecta_lang=klingon", "Accept-Language": "de" })).toBe("en");
    expect(await rootLocale({})).toBe("en");
  });

  it("words the sign-in and sign-up answers in Spanish", async () => {
    const spanish = { "Accept-Language": "es-ES" };
    const request = (path: string, fields: Record<string, string>) => {
      const req = post(path, fields);
      for (const [name, value] of Object.entries(spanish)) req.headers.set(name, value);
      return req;
    };
    const invalid = await call(signupAction, request("/signup", { name: "", email: "ana@", password: "corta" }));
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toMatchObject({
      name: ["Escribe tu nombre."],
      email: ["Escribe un correo válido, como nombre@ejemplo.com."],
      password: ["Usa al menos 10 caracteres."],
    });
    const fields = { name: "Ana", email: "ana@example.com", password: "long enough pw" };
    expect((await call(signupAction, request("/signup", fields))).status).toBe(302);
    // The language the account was made in becomes its preference: later emails speak it.
    const { db } = database();
    const saved = await db
      .selectFrom("users")
      .select("locale")
      .where("email", "=", "ana@example.com")
      .executeTakeFirst();
    expect(saved?.locale).toBe("es");
    const taken = await call(signupAction, request("/signup", fields));
    expect((await taken.json()).error.email).toEqual([
      "Ya existe una cuenta con este correo. Entra con ella o usa otro correo.",
    ]);
    const wrong = await call(loginAction, request("/login", { email: "ana@example.com", password: "not it at all" }));
    expect((await wrong.json()).error[""]).toEqual(["Ese correo y esa contraseña no corresponden a ninguna cuenta."]);
  });
});
