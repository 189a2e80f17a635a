import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { action as newAction, loader as newLoader } from "~/routes/creator.new";
import { action as editAction, loader as editLoader } from "~/routes/creator.campaigns.$id.edit";
import { loader as projectLoader } from "~/routes/projects.$slug";
import { action as signupAction } from "~/routes/signup";
import { useTestDatabase } from "../support/database";
import { call, cookieOf } from "../support/routes";

// A campaign's language, chosen in the campaign form: the new form offers the creator's own
// language, the choice is saved on create and edit, and the project page gets it.

const database = useTestDatabase();
const db = () => database().db as Kysely<Database>;

const STORY =
  "## Por qué\n\nHacemos lámparas de cerámica en un alfar de Triana desde 1890. Con esta campaña compramos un horno " +
  "nuevo que gasta la mitad y contratamos a una aprendiz durante un año entero, para que el oficio siga vivo.";

const fields = (overrides: Record<string, string> = {}) => ({
  title: "Lámparas de Triana",
  slug: "",
  blurb: "Lámparas de cerámica hechas a mano",
  storyMd: STORY,
  category: "design",
  coverAlt: "",
  goal: "5000",
  currency: "eur",
  deadlineMode: "duration",
  durationDays: "30",
  endDate: "",
  fundingModel: "all_or_nothing",
  collection: "at_deadline",
  ...overrides,
});

const post = (path: string, cookie: string, body: Record<string, string>) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(body),
    headers: { Cookie: cookie },
  });

let cookie = "";
beforeAll(async () => {
  const res = await call(
    signupAction,
    new Request("http://localhost/signup", {
      method: "POST",
      body: new URLSearchParams({ name: "Inés", email: "ines@example.com", password: "long enough pw" }),
    }),
  );
  expect(res.status).toBe(302);
  cookie = cookieOf(res);
});

async function create(slug: string, overrides: Record<string, string>) {
  const res = await call(newAction, post("/creator/new", cookie, fields({ slug, ...overrides })));
  expect(res.status).toBe(302);
  return /\/creator\/campaigns\/([0-9a-f-]{36})\//.exec(res.headers.get("Location")!)![1]!;
}

const languageOf = async (id: string) =>
  (await db().selectFrom("campaigns").select("language").where("id", "=", id).executeTakeFirstOrThrow()).language;

describe("the campaign form's language", () => {
  it("offers the creator's language for a new campaign", async () => {
    const inSpanish = await call(
      newLoader,
      new Request("http://localhost/creator/new", { headers: { Cookie: `${cookie}; colecta_lang=es` } }),
    );
    expect(await inSpanish.json()).toEqual({ language: "es" });
    const inEnglish = await call(
      newLoader,
      new Request("http://localhost/creator/new", { headers: { Cookie: cookie } }),
    );
    expect(await inEnglish.json()).toEqual({ language: "en" });
  });

  it("saves the language chosen on create, and a change on edit", async () => {
    const id = await create("lamparas-triana", { language: "es" });
    expect(await languageOf(id)).toBe("es");
    const edit = await call(
      editLoader,
      new Request(`http://localhost/creator/campaigns/${id}/edit`, { headers: { Cookie: cookie } }),
      {
        id,
      },
    );
    expect(((await edit.json()) as { values: { language: string } }).values.language).toBe("es");

    const saved = await call(
      editAction,
      post(`/creator/campaigns/${id}/edit`, cookie, fields({ slug: "lamparas-triana", language: "en" })),
      {
        id,
      },
    );
    expect(saved.status).toBe(302);
    expect(await languageOf(id)).toBe("en");
  });

  it("keeps the saved language when a form leaves it out, and refuses one the site does not speak", async () => {
    const id = await create("sin-idioma", {});
    expect(await languageOf(id)).toBe("en");
    const refused = await call(newAction, post("/creator/new", cookie, fields({ slug: "en-frances", language: "fr" })));
    expect(refused.status).toBe(400);
    const reply = (await refused.json()) as { error?: Record<string, string[]> };
    expect(reply.error?.language?.[0]).toBeTruthy();
  });

  it("reaches the project page", async () => {
    const id = await create("lamparas-para-ver", { language: "es" });
    await db()
      .updateTable("campaigns")
      .set({ state: "live", launched_at: new Date(), deadline: new Date(Date.now() + 864e5) })
      .where("id", "=", id)
      .execute();
    const res = await call(projectLoader, new Request("http://localhost/projects/lamparas-para-ver"), {
      slug: "lamparas-para-ver",
    });
    expect(((await res.json()) as { campaign: { language: string } }).campaign.language).toBe("es");
  });
});
