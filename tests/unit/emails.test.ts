import * as builders from "~/domain/emails";
import { raiseRefusalText, recipientLocale } from "~/domain/emails";
import { renderEmailText } from "~/domain/email-render";
import { translatorFor } from "~/i18n";

// The builders describe each email once (blocks); these tests read the text part they render to.
type Content = ReturnType<typeof builders.fundedEmail>;
const asText =
  <A extends unknown[]>(build: (...args: A) => Content) =>
  (...args: A) => {
    const email = build(...args);
    return { locale: email.locale, subject: email.subject, bodyText: renderEmailText(email) };
  };
const campaignUpdateEmail = asText(builders.campaignUpdateEmail);
const changeRefusedEmail = asText(builders.changeRefusedEmail);
const creatorClosedEmail = asText(builders.creatorClosedEmail);
const creatorDecisionEmail = asText(builders.creatorDecisionEmail);
const fundedEmail = asText(builders.fundedEmail);
const paymentFailedEmail = asText(builders.paymentFailedEmail);
const pledgeCancelledEmail = asText(builders.pledgeCancelledEmail);
const pledgeChangedEmail = asText(builders.pledgeChangedEmail);
const pledgeConfirmedEmail = asText(builders.pledgeConfirmedEmail);
const refundIssuedEmail = asText(builders.refundIssuedEmail);
const releasedEmail = asText(builders.releasedEmail);

// Every email is worded from the catalogue in the recipient's language. English must read
// exactly as before the catalogue (the strings below are the old templates, verbatim).

const en = translatorFor("en");
const es = translatorFor("es");
const grace = new Date("2026-12-04T12:00:00Z");

describe("the recipient's language", () => {
  it("is the saved preference, else the request's, else English", () => {
    expect(recipientLocale("es", "en")).toBe("es");
    expect(recipientLocale(null, "es")).toBe("es");
    expect(recipientLocale("fr", "es")).toBe("es");
    expect(recipientLocale(null)).toBe("en");
  });
});

describe("emails in English are unchanged", () => {
  it("pledge confirmed, changed, cancelled, refunded", () => {
    const confirmed = pledgeConfirmedEmail(en, "en", {
      backerName: "Bea",
      campaignTitle: "Solar Kiln",
      amount: 4_500,
      currency: "usd",
      atDeadline: true,
      manageUrl: "/me/pledges/p1",
    });
    expect(confirmed).toEqual({
      locale: "en",
      subject: "You're backing Solar Kiln",
      bodyText:
        "Hi Bea,\n\nThank you for backing Solar Kiln. Your pledge of $45.00 is confirmed.\n\n" +
        "Your card is saved with Stripe and will be charged only under the project's terms, at its deadline.\n" +
        "\nManage your pledge: /me/pledges/p1\n",
    });
    const changed = pledgeChangedEmail(en, "en", {
      backerName: "Bea",
      campaignTitle: "Solar Kiln",
      amount: 3_000,
      currency: "usd",
      rewardTitle: "Early bird",
      refunding: 1_500,
      manageUrl: "/me/pledges/p1",
    });
    expect(changed.bodyText).toBe(
      `Hi Bea,\n\nYour pledge to Solar Kiln is now $30.00 for "Early bird".\n\n` +
        `We are refunding the $15.00 difference to the card you paid with; it usually appears within 5-10 business days.\n\n` +
        `Manage your pledge: /me/pledges/p1\n`,
    );
    expect(pledgeChangedEmail(en, "en", { ...changedData(), rewardTitle: null, refunding: null }).bodyText).toBe(
      `Hi Bea,\n\nYour pledge to Solar Kiln is now $30.00 (no reward).\n\nManage your pledge: /me/pledges/p1\n`,
    );
    const cancelled = pledgeCancelledEmail(en, "en", {
      backerName: "Bea",
      campaignTitle: "Solar Kiln",
      amount: 4_500,
      refunded: 0,
      currency: "usd",
    });
    expect(cancelled).toMatchObject({
      subject: "Your pledge to Solar Kiln is cancelled",
      bodyText: "Hi Bea,\n\nYour pledge of $45.00 to Solar Kiln is cancelled. Your card will not be charged.\n",
    });
    const refund = refundIssuedEmail(en, "en", {
      backerName: "Bea",
      campaignTitle: "Solar Kiln",
      amount: 5_000,
      currency: "usd",
      reference: "re_1",
    });
    expect(refund).toMatchObject({
      subject: "Refund issued: $50.00 for Solar Kiln",
      bodyText:
        `Hi Bea,\n\nWe have refunded $50.00 of your pledge to "Solar Kiln" to the card you paid with. ` +
        `It usually appears on your statement within 5-10 business days.\n\nReference: re_1\n\n— Colecta\n`,
    });
    expect(
      changeRefusedEmail(en, "en", {
        backerName: "Bea",
        campaignTitle: "Solar Kiln",
        paid: 1_000,
        amount: 4_500,
        currency: "usd",
        reason: "ended",
        manageUrl: "/me/pledges/p1",
      }).bodyText,
    ).toBe(
      `Hi Bea,\n\nYou paid $10.00 to raise your pledge to Solar Kiln, but the change could not be made: the campaign had already ended.\n\n` +
        `We are refunding that payment in full; it usually appears on your statement within 5-10 business days. Your pledge stays at $45.00.\n\n` +
        `Manage your pledge: /me/pledges/p1\n`,
    );
    expect(raiseRefusalText(en, "soldOut")).toBe("the reward sold out in the meantime");
  });

  it("settlement and campaign updates", () => {
    const backer = {
      backerName: "Bea",
      campaignTitle: "Solar Kiln",
      amount: 2_500,
      currency: "usd" as const,
      pledgeUrl: "http://colecta.test/me/pledges/p1",
    };
    expect(fundedEmail(en, "en", { ...backer, charged: true }).bodyText).toBe(
      "Hi Bea,\n\nGood news: Solar Kiln reached its goal and is funded.\n\nYour card was charged $25.00 for your pledge.\n" +
        "\nYour pledge: http://colecta.test/me/pledges/p1\n",
    );
    const failed = paymentFailedEmail(en, "en", {
      ...backer,
      attempt: 1,
      reason: "Your card was declined.",
      graceEndsAt: grace,
      fixUrl: "http://colecta.test/pledges/p1/fix",
    });
    expect(failed.subject).toBe("Action needed: your payment to Solar Kiln failed");
    expect(failed.bodyText).toBe(
      "Hi Bea,\n\nSolar Kiln is funded, but we could not charge $25.00 for your pledge.\nYour bank said: Your card was declined.\n\n" +
        "Fix your payment here (you can use another card): http://colecta.test/pledges/p1/fix\n" +
        "\nWe will try your card again automatically. If the payment is not completed by 4 December 2026, your pledge is cancelled and your reward released.\n",
    );
    expect(releasedEmail(en, "en", { ...backer, decision: "cancelled" })).toMatchObject({
      subject: "Solar Kiln was cancelled",
      bodyText:
        "Hi Bea,\n\nSolar Kiln was cancelled by its creator. Your pledge of $25.00 is released and your card was not charged.\n\nYour pledge: http://colecta.test/me/pledges/p1\n",
    });
    const creator = {
      creatorName: "Cy",
      campaignTitle: "Solar Kiln",
      currency: "usd" as const,
      campaignUrl: "/creator",
    };
    expect(
      creatorDecisionEmail(en, "en", {
        ...creator,
        decision: "funded",
        pledged: 150_000,
        backers: 1,
        graceEndsAt: grace,
      }).bodyText,
    ).toBe(
      "Hi Cy,\n\nSolar Kiln is funded: 1 backer pledged $1,500.00. We are collecting the payments now; backers whose payment fails have until 4 December 2026 to fix it.\n\nYour campaign: /creator\n",
    );
    expect(
      creatorDecisionEmail(en, "en", {
        ...creator,
        decision: "unfunded",
        pledged: 2_500,
        backers: 3,
        graceEndsAt: null,
      }).bodyText,
    ).toContain("($25.00 pledged by 3 backers). No backer is charged");
    expect(creatorClosedEmail(en, "en", { ...creator, collected: 5_000, collectedCount: 2, dropped: 1 }).bodyText).toBe(
      "Hi Cy,\n\nSettlement of Solar Kiln is complete: $50.00 collected from 2 backers; 1 pledge could not be collected and was dropped.\n" +
        "Our finance team prepares your payout next.\n\nYour campaign: /creator\n",
    );
    expect(
      campaignUpdateEmail(en, "en", {
        backerName: "Bea",
        campaignTitle: "Solar Kiln",
        title: "Molds",
        text: "The molds arrived.",
        forBackers: true,
        url: "http://colecta.test/projects/solar-kiln",
      }),
    ).toMatchObject({
      subject: "Solar Kiln: Molds",
      bodyText:
        "Hi Bea,\n\nSolar Kiln posted an update for backers: Molds\n\nThe molds arrived.\n\nRead it on Colecta: http://colecta.test/projects/solar-kiln\n",
    });
  });

  it("never reads the data it interpolates as catalogue syntax", () => {
    const email = pledgeConfirmedEmail(en, "en", {
      backerName: "{{amount}}",
      campaignTitle: "$t(emails:signature) {{name}}",
      amount: 100,
      currency: "eur",
      atDeadline: false,
      manageUrl: "/x",
    });
    expect(email.subject).toBe("You're backing $t(emails:signature) {{name}}");
    expect(email.bodyText.startsWith("Hi {{amount}},")).toBe(true);
  });
});

describe("emails in Spanish", () => {
  it("are worded in Spanish, with Spanish money and dates", () => {
    const confirmed = pledgeConfirmedEmail(es, "es", {
      backerName: "Lucía",
      campaignTitle: "Horno Solar",
      amount: 123_450,
      currency: "eur",
      atDeadline: true,
      manageUrl: "/me/pledges/p1",
    });
    expect(confirmed.locale).toBe("es");
    expect(confirmed.subject).toBe("Ya apoyas Horno Solar");
    expect(confirmed.bodyText).toContain("Hola, Lucía:");
    expect(confirmed.bodyText).toContain("Tu aportación de 1.234,50\u00a0€ está confirmada.");
    expect(confirmed.bodyText).toContain("Gestiona tu aportación: /me/pledges/p1");

    const creator = {
      creatorName: "Cy",
      campaignTitle: "Horno Solar",
      currency: "eur" as const,
      campaignUrl: "/creator",
    };
    const decided = creatorDecisionEmail(es, "es", {
      ...creator,
      decision: "funded",
      pledged: 150_000,
      backers: 2,
      graceEndsAt: grace,
    });
    expect(decided.subject).toBe("Horno Solar se ha financiado");
    expect(decided.bodyText).toContain("2 patrocinadores han aportado 1.500,00\u00a0€");
    expect(decided.bodyText).toContain("hasta el 4 de diciembre de 2026");
    expect(
      creatorClosedEmail(es, "es", { ...creator, collected: 5_000, collectedCount: 1, dropped: 2 }).bodyText,
    ).toContain("se han cobrado 50,00\u00a0€ de 1 patrocinador; 2 aportaciones no se pudieron cobrar");
    expect(
      changeRefusedEmail(es, "es", {
        backerName: "Lucía",
        campaignTitle: "Horno Solar",
        paid: 1_000,
        amount: 4_500,
        currency: "eur",
        reason: "soldOut",
        manageUrl: "/m",
      }).bodyText,
    ).toContain("no hemos podido hacer el cambio: la recompensa se agotó mientras tanto.");
  });
});

function changedData() {
  return {
    backerName: "Bea",
    campaignTitle: "Solar Kiln",
    amount: 3_000,
    currency: "usd" as const,
    rewardTitle: "Early bird" as string | null,
    refunding: 1_500 as number | null,
    manageUrl: "/me/pledges/p1",
  };
}
