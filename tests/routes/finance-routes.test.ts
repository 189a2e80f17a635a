import { randomUUID } from "node:crypto";
import { loader as layoutLoader } from "~/routes/finance";
import { loader as indexLoader } from "~/routes/finance._index";
import { action as statementAction, loader as statementLoader } from "~/routes/finance.campaigns.$id._index/route";
import { loader as linePledgesLoader } from "~/routes/finance.campaigns.$id.pledges";
import { loader as csvLoader } from "~/routes/finance.campaigns.$id.statement[.]csv";
import { action as pledgeAction, loader as pledgeLoader } from "~/routes/finance.pledges.$id/route";
import { action as reconciliationAction, loader as reconciliationLoader } from "~/routes/finance.reconciliation";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign, type SettledCampaign } from "../support/finance";
import { makeUser } from "../support/fixtures";
import { call, get, post, sessionCookie, type RouteFunction } from "../support/routes";
import { useTestEmulator } from "../support/stripe";
import { nextCode } from "../support/two-factor";

const database = useTestDatabase();
const { stripe } = await useTestEmulator({ asAppClient: true });
let campaign: SettledCampaign;
let financeCookie: string;
let financeId: string;

beforeAll(async () => {
  const { db } = database();
  campaign = await makeSettledCampaign(db, stripe, {
    amounts: [5_000, 2_000],
    title: '=HYPERLINK("evil"), "quoted" kettle',
  });
  const finance = await makeFinanceUser(db);
  financeId = finance.id;
  financeCookie = await sessionCookie(finance.id);
});

function everyRoute() {
  const c = campaign.campaignId;
  const p = campaign.pledges[0]!.id;
  return [
    ["layout", layoutLoader, () => get("/finance"), {}],
    ["overview", indexLoader, () => get("/finance"), {}],
    ["statement", statementLoader, () => get(`/finance/campaigns/${c}`), { id: c }],
    [
      "statement action",
      statementAction,
      () => post(`/finance/campaigns/${c}`, { intent: "prepare-payout", reason: "x".repeat(10) }),
      { id: c },
    ],
    ["line pledges", linePledgesLoader, () => get(`/finance/campaigns/${c}/pledges?line=collected`), { id: c }],
    ["csv", csvLoader, () => get(`/finance/campaigns/${c}/statement.csv`), { id: c }],
    ["pledge", pledgeLoader, () => get(`/finance/pledges/${p}`), { id: p }],
    [
      "pledge action",
      pledgeAction,
      () =>
        post(`/finance/pledges/${p}`, { intent: "refund", amount: "1", reason: "Because", requestKey: randomUUID() }),
      { id: p },
    ],
    ["reconciliation", reconciliationLoader, () => get("/finance/reconciliation"), {}],
    ["reconciliation action", reconciliationAction, () => post("/finance/reconciliation", { intent: "run" }), {}],
  ] as const;
}

describe("finance routes are invisible to everyone else", () => {
  it("sends anonymous visitors to sign in", async () => {
    for (const [name, fn, request, params] of everyRoute()) {
      const res = await call(fn, request(), params);
      expect(res.status, name).toBe(302);
      expect(res.headers.get("Location"), name).toMatch(/^\/login\?redirectTo=/);
    }
  });

  it("answers 404 to a signed-in backer and to the campaign's own creator, changing nothing", async () => {
    const { db } = database();
    const backer = await makeUser(db, "Backer");
    for (const userId of [backer.id, campaign.creator.id]) {
      const cookie = await sessionCookie(userId);
      for (const [name, fn, request, params] of everyRoute()) {
        const original = request();
        const withCookie = new Request(original, { headers: { Cookie: cookie } });
        const res = await call(fn, withCookie, params);
        expect(res.status, name).toBe(404);
      }
    }
    expect(await db.selectFrom("refunds").select("id").execute()).toHaveLength(0);
    expect(await db.selectFrom("payouts").select("id").execute()).toHaveLength(0);
    expect(await db.selectFrom("reconciliation_runs").select("id").execute()).toHaveLength(0);
  });
});

describe("finance routes for a finance user", () => {
  it("shows the desk, the statement, its lines and the pledge", async () => {
    const overview = await (await call(indexLoader, get("/finance", financeCookie))).json();
    expect(overview.campaigns).toContainEqual(
      expect.objectContaining({
        id: campaign.campaignId,
        stage: "awaiting_payout",
        next: "Ready to prepare",
        collected: "$70.00",
      }),
    );
    const statement = await (
      await call(statementLoader, get(`/finance/campaigns/${campaign.campaignId}`, financeCookie), {
        id: campaign.campaignId,
      })
    ).json();
    expect(statement.statement).toMatchObject({ frozen: false, balanceCheck: 0 });
    expect(statement.plan).toMatchObject({ ready: true, platformFee: "$3.50" });
    const line = await (
      await call(
        linePledgesLoader,
        get(`/finance/campaigns/${campaign.campaignId}/pledges?line=collected`, financeCookie),
        { id: campaign.campaignId },
      )
    ).json();
    expect(line.pledges.map((p: { id: string }) => p.id).sort()).toEqual(campaign.pledges.map((p) => p.id).sort());
    const pledge = await (
      await call(pledgeLoader, get(`/finance/pledges/${campaign.pledges[0]!.id}`, financeCookie), {
        id: campaign.pledges[0]!.id,
      })
    ).json();
    expect(pledge).toMatchObject({ canRefund: true, money: { refundable: "$50.00" } });
    expect(pledge.attempts[0]).toMatchObject({
      key: `colecta-charge-${campaign.pledges[0]!.id}-1`,
      stripeId: campaign.pledges[0]!.paymentIntentId,
      status: "succeeded",
    });
    expect(pledge.journal.map((j: { stripeId: string }) => j.stripeId)).toContain(campaign.pledges[0]!.chargeId);
  });

  it("exports the statement as RFC 4180 CSV without formula injection", async () => {
    const res = await call(csvLoader, get(`/finance/campaigns/${campaign.campaignId}/statement.csv`, financeCookie), {
      id: campaign.campaignId,
    });
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="settled-[a-z0-9-]+-statement\.csv"$/,
    );
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("section,item,count,amount_minor_units,amount,currency,effect,reference");
    expect(text).toContain(`campaign,"'=HYPERLINK(""evil""), ""quoted"" kettle",,,,,,${campaign.campaignId}\r\n`);
    expect(text).toContain("statement,Collected,,7000,$70.00,USD,add,\r\n");
    expect(text).toMatch(/statement,Balance check,,0,\$0\.00,USD,balanced,\r\n/);
  });

  it.each([
    ["0", "The amount must be more than zero."],
    ["-5", "The amount must be positive."],
    ["abc", "Enter the amount as a number, like 25 or 25.50."],
    ["12.345", "Use at most 2 decimal places."],
    ["50.01", "At most $50.00 can be refunded (collected minus what was already refunded)."],
    ["", "Enter an amount."],
  ])("refuses a refund of %j with 400 at the amount field, keeping what was typed", async (amount, message) => {
    const p = campaign.pledges[0]!.id;
    const res = await call(
      pledgeAction,
      post(
        `/finance/pledges/${p}`,
        { intent: "refund", amount, reason: "A good reason", requestKey: randomUUID() },
        financeCookie,
      ),
      { id: p },
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.amount).toEqual([message]);
    // Conform's answer echoes what was typed; an empty field is left out.
    expect(body.initialValue).toMatchObject({ intent: "refund", reason: "A good reason" });
    expect(body.initialValue.amount ?? "").toBe(amount);
  });

  it("refuses a refund without a reason, or with an expired form", async () => {
    const p = campaign.pledges[0]!.id;
    const noReason = await call(
      pledgeAction,
      post(
        `/finance/pledges/${p}`,
        { intent: "refund", amount: "5", reason: "  ", requestKey: randomUUID() },
        financeCookie,
      ),
      { id: p },
    );
    expect(noReason.status).toBe(400);
    expect((await noReason.json()).error.reason[0]).toMatch(/Give a reason/);
    const noKey = await call(
      pledgeAction,
      post(`/finance/pledges/${p}`, { intent: "refund", amount: "5", reason: "Reason" }, financeCookie),
      { id: p },
    );
    expect(noKey.status).toBe(400);
    expect((await noKey.json()).error.requestKey[0]).toMatch(/form expired/);
    expect(await database().db.selectFrom("refunds").select("id").execute()).toHaveLength(0);
  });

  it("refunds through the form and shows the result", async () => {
    const p = campaign.pledges[1]!.id;
    const res = await call(
      pledgeAction,
      post(
        `/finance/pledges/${p}`,
        { intent: "refund", amount: "5.00", reason: "Damaged reward", requestKey: randomUUID() },
        financeCookie,
      ),
      { id: p },
    );
    expect(res.status).toBe(200);
    expect((await res.json()).notice).toMatch(/^Refunded \$5\.00\. Stripe refund re_/);
    const audit = await database()
      .db.selectFrom("audit_log")
      .select(["actor_id", "reason"])
      .where("action", "=", "pledge.refunded")
      .where("subject_id", "=", p)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_id: financeId, reason: "Damaged reward" });
  });

  it("answers bad ids, lines, pages, intents and bodies with 4xx, never 500", async () => {
    const c = campaign.campaignId;
    const cases: Array<[RouteFunction, Request, Record<string, string>, number]> = [
      [statementLoader, get("/finance/campaigns/not-a-uuid", financeCookie), { id: "not-a-uuid" }, 404],
      [statementLoader, get(`/finance/campaigns/${randomUUID()}`, financeCookie), { id: randomUUID() }, 404],
      [pledgeLoader, get("/finance/pledges/%27;drop", financeCookie), { id: "';drop" }, 404],
      [csvLoader, get("/finance/campaigns/x/statement.csv", financeCookie), { id: "x" }, 404],
      [linePledgesLoader, get(`/finance/campaigns/${c}/pledges?line=bogus`, financeCookie), { id: c }, 400],
      [linePledgesLoader, get(`/finance/campaigns/${c}/pledges`, financeCookie), { id: c }, 400],
      [linePledgesLoader, get(`/finance/campaigns/${c}/pledges?line=collected&page=-1`, financeCookie), { id: c }, 400],
      [
        linePledgesLoader,
        get(`/finance/campaigns/${c}/pledges?line=collected&page=abc`, financeCookie),
        { id: c },
        400,
      ],
      [
        statementAction,
        post(`/finance/campaigns/${c}`, { intent: "launch-rockets", reason: "because" }, financeCookie),
        { id: c },
        400,
      ],
      [
        statementAction,
        post(`/finance/campaigns/${c}`, { intent: "prepare-payout", reason: "" }, financeCookie),
        { id: c },
        400,
      ],
      [
        pledgeAction,
        post(`/finance/pledges/${campaign.pledges[0]!.id}`, { intent: "nope" }, financeCookie),
        { id: campaign.pledges[0]!.id },
        400,
      ],
      [
        pledgeAction,
        post(`/finance/pledges/${campaign.pledges[0]!.id}`, { intent: "resume-refund", refundId: "x" }, financeCookie),
        { id: campaign.pledges[0]!.id },
        400,
      ],
      [
        pledgeAction,
        post(
          `/finance/pledges/${campaign.pledges[0]!.id}`,
          { intent: "retry-charge", reason: "Card fixed" },
          financeCookie,
        ),
        { id: campaign.pledges[0]!.id },
        409,
      ],
      [reconciliationAction, post("/finance/reconciliation", { intent: "other" }, financeCookie), {}, 400],
      [
        pledgeAction,
        new Request(`http://localhost/finance/pledges/${campaign.pledges[0]!.id}`, {
          method: "POST",
          body: "--x\r\nbroken",
          headers: { Cookie: financeCookie, "Content-Type": "multipart/form-data; boundary=x" },
        }),
        { id: campaign.pledges[0]!.id },
        400,
      ],
    ];
    for (const [fn, request, params, status] of cases) {
      const res = await call(fn, request, params);
      expect(res.status, `${request.method} ${request.url}`).toBe(status);
    }
    const prepare = await (
      await call(
        statementAction,
        post(`/finance/campaigns/${c}`, { intent: "prepare-payout", reason: "" }, financeCookie),
        { id: c },
      )
    ).json();
    expect(prepare).toMatchObject({
      initialValue: { intent: "prepare-payout" },
      error: { reason: [expect.stringMatching(/Give a reason/)] },
    });
  });

  it("turns the four-eyes rule into a clear message", async () => {
    const { db } = database();
    const c = await makeSettledCampaign(db, stripe, { amounts: [3_000] });
    const prepared = await call(
      statementAction,
      post(`/finance/campaigns/${c.campaignId}`, { intent: "prepare-payout", reason: "Reviewed" }, financeCookie),
      { id: c.campaignId },
    );
    expect(prepared.status).toBe(200);
    const refused = await call(
      statementAction,
      post(
        `/finance/campaigns/${c.campaignId}`,
        { intent: "approve-payout", reason: "Me again", code: await nextCode(db, financeId) },
        financeCookie,
      ),
      { id: c.campaignId },
    );
    expect(refused.status).toBe(403);
    // The form's own errors are under the empty name.
    expect((await refused.json()).error[""]).toEqual([
      "You prepared this payout, so another finance user must approve it (four-eyes rule).",
    ]);
  });
});

describe("finance routes in Spanish", () => {
  // The reader's language comes from the cookie (the finance user saved no preference).
  const es = () => `${financeCookie}; colecta_lang=es`;
  let euro: SettledCampaign;

  beforeAll(async () => {
    euro = await makeSettledCampaign(database().db, stripe, { amounts: [123_450, 2_000], currency: "eur" });
  });

  it("words the desk, the statement and the pledge in Spanish with money as Spain writes it", async () => {
    const overview = await (await call(indexLoader, get("/finance", es()))).json();
    expect(overview.campaigns).toContainEqual(
      expect.objectContaining({
        id: euro.campaignId,
        step: "ready",
        next: "Lista para preparar",
        collected: "1.254,50\u00a0€",
      }),
    );
    const statement = await (
      await call(statementLoader, get(`/finance/campaigns/${euro.campaignId}`, es()), { id: euro.campaignId })
    ).json();
    expect(statement.campaign).toMatchObject({ fundingModel: "Todo o nada", collection: "Cobro en la fecha límite" });
    expect(statement.statement.money[0]).toMatchObject({ label: "Cobrado", amount: "1.254,50\u00a0€" });
    expect(statement.statement.pledges[0]).toMatchObject({ label: "Aportado en la fecha límite" });
    expect(statement.plan).toMatchObject({ ready: true, platformFee: "62,73\u00a0€" });
    const line = await (
      await call(linePledgesLoader, get(`/finance/campaigns/${euro.campaignId}/pledges?line=collected`, es()), {
        id: euro.campaignId,
      })
    ).json();
    expect(line).toMatchObject({ lineLabel: "Cobrado", totals: { collected: "1.254,50\u00a0€" } });
    expect(line.pledges[0].stateLabel).toBe("Cobrada");
    const pledge = await (
      await call(pledgeLoader, get(`/finance/pledges/${euro.pledges[0]!.id}`, es()), { id: euro.pledges[0]!.id })
    ).json();
    expect(pledge.money).toMatchObject({ refundable: "1.234,50\u00a0€", refundableInput: "1234,50" });
    expect(pledge.pledge.stateLabel).toBe("Cobrada");
  });

  it("shows a refund's mistakes in Spanish at the amount field, and reads a decimal comma", async () => {
    const p = euro.pledges[1]!.id;
    const refund = (amount: string, reason = "Recompensa dañada") =>
      call(
        pledgeAction,
        post(`/finance/pledges/${p}`, { intent: "refund", amount, reason, requestKey: randomUUID() }, es()),
        {
          id: p,
        },
      );
    for (const [amount, message] of [
      ["20,01", "Se pueden reembolsar como máximo 20,00\u00a0€ (lo cobrado menos lo ya reembolsado)."],
      ["abc", "Escribe el importe como un número, por ejemplo 25 o 25,50."],
      ["1,234", "Usa como máximo 2 decimales."],
      ["", "Introduce un importe."],
    ]) {
      const res = await refund(amount!);
      expect(res.status, amount).toBe(400);
      expect((await res.json()).error.amount, amount).toEqual([message]);
    }
    const noReason = await refund("5", " ");
    expect((await noReason.json()).error.reason).toEqual([
      "Indica un motivo (al menos 3 caracteres); queda en el registro de auditoría.",
    ]);

    const done = await refund("2,50");
    expect(done.status).toBe(200);
    expect((await done.json()).notice).toMatch(/^Reembolsado 2,50\u00a0€\. Reembolso de Stripe re_/);
    const booked = await database()
      .db.selectFrom("refunds")
      .select(["amount", "reason"])
      .where("pledge_id", "=", p)
      .executeTakeFirstOrThrow();
    // The reason is data: stored as typed, whatever the language.
    expect(booked).toEqual({ amount: 250, reason: "Recompensa dañada" });
  });

  it("exports the statement CSV with Spanish headers and words, machine columns unchanged", async () => {
    const res = await call(csvLoader, get(`/finance/campaigns/${euro.campaignId}/statement.csv`, es()), {
      id: euro.campaignId,
    });
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="settled-[a-z0-9-]+-extracto\.csv"$/);
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe(
      "sección,concepto,número,importe_unidades_menores,importe,moneda,efecto,referencia",
    );
    expect(text).toContain(`extracto,Cobrado,,125450,"1.254,50\u00a0€",EUR,suma,\r\n`);
    expect(text).toMatch(/extracto,Comprobación de saldo,,0,"0,00\u00a0€",EUR,cuadra,\r\n/);
    expect(text).toContain("campaña,Decisión,,,,,financiada,closed\r\n");
  });

  it("answers refusals and bad links in Spanish", async () => {
    const c = await makeSettledCampaign(database().db, stripe, { amounts: [3_000] });
    await call(
      statementAction,
      post(`/finance/campaigns/${c.campaignId}`, { intent: "prepare-payout", reason: "Revisado" }, es()),
      { id: c.campaignId },
    );
    const refused = await call(
      statementAction,
      post(
        `/finance/campaigns/${c.campaignId}`,
        { intent: "approve-payout", reason: "Otra vez yo", code: await nextCode(database().db, financeId) },
        es(),
      ),
      { id: c.campaignId },
    );
    expect(refused.status).toBe(403);
    expect((await refused.json()).error[""]).toEqual([
      "Has preparado tú este pago, así que debe aprobarlo otra persona de finanzas (regla de los cuatro ojos).",
    ]);
    const badLine = await call(linePledgesLoader, get(`/finance/campaigns/${c.campaignId}/pledges?line=bogus`, es()), {
      id: c.campaignId,
    });
    expect(badLine.status).toBe(400);
    expect(await badLine.text()).toBe("Línea del extracto desconocida. Elige una línea del extracto.");
    const missing = await call(pledgeLoader, get(`/finance/pledges/${randomUUID()}`, es()), { id: randomUUID() });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("No encontramos la aportación.");
  });
});
