import { approvePayout, planPayout, preparePayout } from "~/services/finance/payouts.server";
import { useTestDatabase } from "../support/database";
import { makeFinanceUser, makeSettledCampaign } from "../support/finance";
import { useTestEmulator } from "../support/stripe";
import { nextCode } from "../support/two-factor";

const database = useTestDatabase();
const { stripe } = await useTestEmulator();
const db = () => database().db;
const BPS = 500;

async function setCreatorVerified(userId: string, verified: boolean) {
  await db()
    .updateTable("users")
    .set({ email_verified_at: verified ? new Date() : null })
    .where("id", "=", userId)
    .execute();
}

describe("payouts need the creator's verified address", () => {
  it("preparing waits for it, with a reason finance can read", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [10_000] });
    await setCreatorVerified(c.creator.id, false);
    const plan = await planPayout(db(), { campaignId: c.campaignId, platformFeeBps: BPS });
    expect(plan.waitingFor).toContain(
      "The creator hasn't confirmed their email address yet; payouts wait until they do.",
    );
    const finance = await makeFinanceUser(db());
    const refused = await preparePayout(db(), {
      campaignId: c.campaignId,
      actorId: finance.id,
      reason: "Closed",
      platformFeeBps: BPS,
    });
    expect(refused).toMatchObject({
      ok: false,
      status: 409,
      formError: expect.stringMatching(/confirmed their email/),
    });
  });

  it("approving a payout prepared before the address was unverified is refused, and nothing is transferred", async () => {
    const c = await makeSettledCampaign(db(), stripe, { amounts: [10_000] });
    const preparer = await makeFinanceUser(db());
    const approver = await makeFinanceUser(db());
    expect(
      await preparePayout(db(), {
        campaignId: c.campaignId,
        actorId: preparer.id,
        reason: "Closed",
        platformFeeBps: BPS,
      }),
    ).toMatchObject({ ok: true });
    await setCreatorVerified(c.creator.id, false);
    const refused = await approvePayout(db(), stripe, {
      campaignId: c.campaignId,
      actorId: approver.id,
      reason: "Looks right",
      code: await nextCode(db(), approver.id),
    });
    expect(refused).toMatchObject({
      ok: false,
      status: 409,
      formError: expect.stringMatching(/confirmed their email/),
    });
    const payout = await db()
      .selectFrom("payouts")
      .selectAll()
      .where("campaign_id", "=", c.campaignId)
      .executeTakeFirstOrThrow();
    expect(payout).toMatchObject({ status: "prepared", stripe_transfer_id: null });
    // The refusal came before the code was checked: the approver's code is not spent on it.
    const factor = await db()
      .selectFrom("user_two_factor")
      .select("last_used_step")
      .where("user_id", "=", approver.id)
      .executeTakeFirstOrThrow();
    expect(factor.last_used_step).toBeNull();
  });
});
