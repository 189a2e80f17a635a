import { loader as csvLoader } from "~/routes/finance.reconciliation[.]csv";
import { action as queueAction, loader as queueLoader } from "~/routes/finance.reconciliation";
import { action as itemAction, loader as itemLoader } from "~/routes/finance.reconciliation_.items.$id";
import { bookCharge } from "~/models/ledger.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign, type SettledCampaign } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie } from "../support/routes";
import { useTestEmulator } from "../support/stripe";

// The reconciliation desk's queue through its routes: finance staff only, filters in the query
// string (bad ones refused with a message), the CSV of exactly what the filters select, and the
// item page's moves (take, release, resolve with a note, reopen) refused when stale.

const database = useTestDatabase();
const { stripe } = await useTestEmulator({ asAppClient: true });

let kettle: SettledCampaign;
let clock: SettledCampaign;
let fiona: { id: string; cookie: string };
let sam: { id: string; cookie: string };
let refundId: string;

beforeAll(async () => {
  const { db } = database();
  kettle = await makeSettledCampaign(db, stripe, { amounts: [5_000], title: '=HYPERLINK("evil") kettle' });
  clock = await makeSettledCampaign(db, stripe, { amounts: [3_000], title: "Tide Clock" });
  const [f, s] = [
    await makeFinanceUser(db, { name: "Fiona Finance" }),
    await makeFinanceUser(db, { name: "Sam Second" }),
  ];
  fiona = { id: f.id, cookie: await sessionCookie(f.id) };
  sam = { id: s.id, cookie: await sessionCookie(s.id) };
  // A refund behind the ledger's back on the kettle; a charge booked that Stripe never made on the clock.
  refundId = (await stripe.refunds.create({ charge: kettle.pledges[0]!.chargeId, amount: 700 })).id;
  await bookCharge(db, {
    campaignId: clock.campaignId,
    currency: "usd",
    amount: 999,
    fee: 59,
    paymentIntentId: "pi_ghost",
    chargeId: "ch_ghost",
    balanceTransactionId: "txn_ghost",
  });
  const ran = await call(queueAction, post("/finance/reconciliation", { intent: "run" }, fiona.cookie));
  expect(await ran.json()).toEqual({ notice: expect.stringMatching(/^Found 3 mismatches in \d+ objects\.$/) });
});

type QueueData = {
  items: Array<{
    id: number;
    kind: string;
    status: string;
    campaignId: string;
    assignee: string | null;
    label: string;
  }>;
  filterErrors: Record<string, string> | null;
  counts: Record<string, number>;
};

async function queue(query = "", cookie = fiona.cookie) {
  const res = await call(queueLoader, get(`/finance/reconciliation${query}`, cookie));
  return { status: res.status, data: (await res.json()) as QueueData };
}

async function csv(query = "", cookie = fiona.cookie, headers: Record<string, string> = {}) {
  const req = get(`/finance/reconciliation.csv${query}`, cookie);
  for (const [k, v] of Object.entries(headers)) req.headers.set(k, v);
  const res = await call(csvLoader, req);
  return { status: res.status, text: await res.text(), type: res.headers.get("Content-Type") };
}

const idOf = async (kind: string) => (await queue()).data.items.find((i) => i.kind === kind)!.id;

const act = (id: number, fields: Record<string, string>, cookie = fiona.cookie) =>
  call(itemAction, post(`/finance/reconciliation/items/${id}`, fields, cookie), { id: String(id) });

describe("the reconciliation queue's routes", () => {
  it("are invisible to anyone without the finance role", async () => {
    const { db } = database();
    const backer = await makeUser(db, "Curious Backer");
    const id = await idOf("refund_not_booked");
    const cookie = await sessionCookie(backer.id);
    for (const [name, res] of [
      ["queue", await call(queueLoader, get("/finance/reconciliation", cookie))],
      ["csv", await call(csvLoader, get("/finance/reconciliation.csv", cookie))],
      ["item", await call(itemLoader, get(`/finance/reconciliation/items/${id}`, cookie), { id: String(id) })],
      ["item action", await act(id, { intent: "take", expected: "open" }, cookie)],
    ] as const) {
      expect(res.status, name).toBe(404);
    }
    const anonymous = await call(csvLoader, get("/finance/reconciliation.csv"));
    expect(anonymous.status).toBe(302);
    expect((await queue()).data.items.find((i) => i.id === id)).toMatchObject({ status: "open", assignee: null });
  });

  it("lists open and investigating items by default and filters by kind, campaign, status and assignee", async () => {
    const all = await queue();
    expect(all.status).toBe(200);
    expect(all.data.items.map((i) => i.kind).sort()).toEqual([
      "charge_missing_in_stripe",
      "fee_missing_in_stripe",
      "refund_not_booked",
    ]);
    expect(all.data.items.find((i) => i.kind === "refund_not_booked")!.label).toBe("Stripe refund not in the ledger");
    expect((await queue("?kind=refund_not_booked")).data.items.map((i) => i.kind)).toEqual(["refund_not_booked"]);
    expect((await queue(`?campaign=${clock.campaignId}`)).data.items.map((i) => i.kind).sort()).toEqual([
      "charge_missing_in_stripe",
      "fee_missing_in_stripe",
    ]);
    expect((await queue("?status=resolved")).data.items).toEqual([]);
    expect((await queue("?assignee=mine")).data.items).toEqual([]);

    const fee = await idOf("fee_missing_in_stripe");
    expect((await act(fee, { intent: "take", expected: "open" }, sam.cookie)).status).toBe(200);
    expect((await queue("?assignee=mine", sam.cookie)).data.items.map((i) => i.id)).toEqual([fee]);
    expect((await queue("?assignee=mine")).data.items).toEqual([]);
    expect((await queue("?status=investigating")).data.items).toEqual([
      expect.objectContaining({ id: fee, assignee: "Sam Second", status: "investigating" }),
    ]);
    expect((await queue("?assignee=unassigned")).data.items.map((i) => i.id)).not.toContain(fee);
    expect((await queue()).data.counts).toMatchObject({ open: 2, investigating: 1 });
  });

  it("refuses filters it cannot read with a 400 and a message at the filter, page and CSV alike", async () => {
    const bad = await queue("?status=everything&campaign=not-a-uuid");
    expect(bad.status).toBe(400);
    expect(bad.data.filterErrors).toEqual({
      status: "Choose a status from the list.",
      campaign: "Choose a campaign from the list.",
    });
    expect(bad.data.items).toEqual([]);
    const badCsv = await csv("?kind=made_up&assignee=someone");
    expect(badCsv.status).toBe(400);
    expect(badCsv.text).toBe("Choose a problem from the list.\nChoose anyone, mine or unassigned.");
  });

  it("exports exactly the filtered items as CSV, formula-safe, in the reader's language", async () => {
    const page = await queue(`?campaign=${kettle.campaignId}`);
    const file = await csv(`?campaign=${kettle.campaignId}`);
    expect(file.status).toBe(200);
    expect(file.type).toBe("text/csv; charset=utf-8");
    const lines = file.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "item,status,kind,problem,campaign,campaign_id,pledge_id,currency,ledger_object,ledger_amount_minor,stripe_object,stripe_amount_minor,stripe_status,first_seen_run,first_seen_at,last_seen_run,last_seen_at,assignee,note,resolved_by,resolved_at,detail",
    );
    expect(lines.slice(1).map((l) => Number(l.split(",")[0]))).toEqual(page.data.items.map((i) => i.id));
    expect(lines[1]).toContain(
      `,Open,refund_not_booked,Stripe refund not in the ledger,"'=HYPERLINK(""evil"") kettle",${kettle.campaignId},`,
    );
    expect(lines[1]).toContain(`,USD,,,${refundId},700,succeeded,`);

    const everything = await csv("?status=all");
    expect(everything.text.trimEnd().split("\r\n")).toHaveLength(1 + 3);
    const spanish = await csv("?status=investigating", fiona.cookie, { "Accept-Language": "es" });
    const [header, row] = spanish.text.trimEnd().split("\r\n");
    expect(header!.startsWith("partida,estado,tipo,problema,")).toBe(true);
    expect(row).toContain(",En revisión,fee_missing_in_stripe,");
  });

  it("takes, refuses a resolve without a note, resolves with one, refuses a stale move, and shows the history", async () => {
    const id = await idOf("refund_not_booked");
    const take = await act(id, { intent: "take", expected: "open" });
    expect(take.status).toBe(200);
    expect(await take.json()).toEqual({ intent: "take", notice: "You took this item; it is now being investigated." });

    const noNote = await act(id, { intent: "resolve", expected: "investigating", note: "" });
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).error).toMatchObject({ note: ["Write a note: what you found and what was done."] });
    const short = await act(id, { intent: "resolve", expected: "investigating", note: "ok" });
    expect(short.status).toBe(400);
    expect((await short.json()).error).toMatchObject({ note: ["Write a note of at least 3 characters."] });
    const long = await act(id, { intent: "resolve", expected: "investigating", note: "x".repeat(501) });
    expect(long.status).toBe(400);
    expect((await queue()).data.items.find((i) => i.id === id)).toMatchObject({ status: "investigating" });

    // Sam's page was drawn before Fiona took it.
    const stale = await act(id, { intent: "take", expected: "open" }, sam.cookie);
    expect(stale.status).toBe(409);
    expect((await stale.json()).error[""]).toEqual([
      "Fiona Finance moved this item meanwhile: it is now investigating. Reload to see it as it is.",
    ]);
    const staleResolve = await act(id, { intent: "resolve", expected: "open", note: "Looked at it" }, sam.cookie);
    expect(staleResolve.status).toBe(409);

    const note = "Support refunded it in the dashboard; booking adjusted";
    const resolved = await act(id, { intent: "resolve", expected: "investigating", note });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toEqual({ intent: "resolve", notice: "Item resolved." });

    const page = await call(itemLoader, get(`/finance/reconciliation/items/${id}`, fiona.cookie), { id: String(id) });
    const data = await page.json();
    expect(data.item).toMatchObject({ status: "resolved", note, resolvedBy: "Fiona Finance", actions: ["reopen"] });
    expect(
      data.history.map((e: { who: string; from: string | null; to: string; note: string | null }) => [
        e.who,
        e.from,
        e.to,
        e.note,
      ]),
    ).toEqual([
      [expect.stringMatching(/^Run #\d+$/), null, "open", null],
      ["Fiona Finance", "open", "investigating", null],
      ["Fiona Finance", "investigating", "resolved", note],
    ]);
    const { db } = database();
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "ip"])
      .where("subject_type", "=", "reconciliation_item")
      .where("subject_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      { action: "reconciliation.item_take", ip: "203.0.113.7" },
      { action: "reconciliation.item_resolve", ip: "203.0.113.7" },
    ]);

    const reopen = await act(id, { intent: "reopen", expected: "resolved" });
    expect(reopen.status).toBe(200);
    const release = await act(await idOf("fee_missing_in_stripe"), { intent: "release", expected: "investigating" });
    expect(release.status).toBe(200);
  });

  it("speaks Spanish: the problems' words and a stale move's refusal", async () => {
    const spanish = (req: Request) => (req.headers.set("Accept-Language", "es"), req);
    const page = await call(queueLoader, spanish(get("/finance/reconciliation?kind=refund_not_booked", fiona.cookie)));
    expect((await page.json()).items[0]).toMatchObject({ label: "Reembolso de Stripe que no está en el libro diario" });
    const id = await idOf("charge_missing_in_stripe");
    const stale = await call(
      itemAction,
      spanish(
        post(`/finance/reconciliation/items/${id}`, { intent: "release", expected: "investigating" }, fiona.cookie),
      ),
      { id: String(id) },
    );
    expect(stale.status).toBe(409);
    expect((await stale.json()).error[""]).toEqual([
      "Otra persona cambió esta partida mientras tanto: ahora está abierta. Recarga la página para verla actualizada.",
    ]);
    const noNote = await call(
      itemAction,
      spanish(post(`/finance/reconciliation/items/${id}`, { intent: "resolve", expected: "open" }, fiona.cookie)),
      { id: String(id) },
    );
    expect(noNote.status).toBe(400);
    expect((await noNote.json()).error).toMatchObject({ note: ["Escribe una nota: qué encontraste y qué se hizo."] });
  });

  it("answers unknown items with 404 and unknown actions with 400", async () => {
    const id = await idOf("refund_not_booked");
    for (const param of ["abc", "0", "999999", "1e3"]) {
      const res = await call(itemLoader, get(`/finance/reconciliation/items/${param}`, fiona.cookie), { id: param });
      expect(res.status, param).toBe(404);
    }
    expect(
      (
        await call(
          itemAction,
          post("/finance/reconciliation/items/999999", { intent: "take", expected: "open" }, fiona.cookie),
          { id: "999999" },
        )
      ).status,
    ).toBe(404);
    expect((await act(id, { intent: "delete", expected: "open" })).status).toBe(400);
    expect((await act(id, { intent: "take", expected: "gone" })).status).toBe(400);
  });
});
