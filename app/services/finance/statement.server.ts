import type { Db } from "../../../db/schema.js";
import { computeStatement, type Statement } from "../../domain/statement";
import { journalSums, statementChecksum } from "../../models/ledger.server";
import { pledgeStateTallies } from "../../models/pledge.server";

/**
 * A campaign's settlement statement, from its journal and pledge tallies (two aggregate
 * queries). Once frozen, the stored copy and its checksum are returned instead, unless `live`
 * asks for the journal as it is now (money that moved after the payout: refunds, recoveries).
 */
export async function buildStatement(db: Db, { campaignId, live = false }: { campaignId: string; live?: boolean }) {
  const settlement = await db
    .selectFrom("settlements")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement) return undefined;
  if (!live && settlement.statement && settlement.statement_checksum) {
    return {
      statement: settlement.statement as unknown as Statement,
      frozen: true,
      checksum: settlement.statement_checksum,
    };
  }
  const tallies = await pledgeStateTallies(db, { campaignId });
  const statement = computeStatement({
    currency: settlement.currency,
    pledgedAtDeadline: settlement.pledged_at_deadline,
    pledgesAtDeadline: settlement.pledges_at_deadline,
    sums: await journalSums(db, { campaignId }),
    tallies,
  });
  return { statement, frozen: false, checksum: null };
}

/**
 * The late pledges' statement: the same lines from the late segment of the journal and the late
 * pledges' tallies, never frozen (late pledges may come in until their closing date). Undefined
 * before settlement.
 */
export async function buildLateStatement(db: Db, { campaignId }: { campaignId: string }) {
  const settlement = await db
    .selectFrom("settlements")
    .select(["currency"])
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  if (!settlement) return undefined;
  const tallies = await pledgeStateTallies(db, { campaignId, late: true });
  const counted = tallies.filter((t) => t.state === "collected" || t.state === "partially_refunded");
  const statement = computeStatement({
    currency: settlement.currency,
    pledgedAtDeadline: counted.reduce((n, t) => n + t.amount, 0),
    pledgesAtDeadline: counted.reduce((n, t) => n + t.count, 0),
    sums: await journalSums(db, { campaignId, late: true }),
    tallies,
  });
  return { statement, frozen: false, checksum: null };
}

/**
 * Freezes the statement when the campaign's money is final (paid out, or closed with nothing to
 * pay). Refuses to freeze one that does not balance.
 */
export async function freezeStatement(db: Db, { campaignId }: { campaignId: string }) {
  const built = await buildStatement(db, { campaignId });
  if (!built) throw new Error(`No settlement for campaign ${campaignId}`);
  if (built.frozen) return built;
  if (built.statement.balanceCheck !== 0) {
    throw new Error(
      `Statement for campaign ${campaignId} does not balance (off by ${built.statement.balanceCheck}); not frozen`,
    );
  }
  const checksum = statementChecksum(built.statement);
  await db
    .updateTable("settlements")
    .set({ statement: JSON.stringify(built.statement), statement_checksum: checksum })
    .where("campaign_id", "=", campaignId)
    .where("statement_checksum", "is", null)
    .execute();
  return { statement: built.statement, frozen: true, checksum };
}
