import { sql } from "kysely";
import type { Db } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { moveVotesOfAccount } from "./crowd-votes.server";

// An account's suspension: the one writer of users.suspended_at and suspension_reason, and the
// moderation desk's view of a person. A suspended account keeps its sessions and its pledges
// (they settle as usual); requireParticipant refuses its posts, pledges and messages. Its votes
// on ideas and polls leave the counts while it is suspended and come back when it is lifted.

/**
 * Suspends an account (with the reason) or lifts its suspension. Returns the state it was in, or
 * undefined when there is no such account; asking for the state it is already in writes nothing.
 */
export async function setSuspension(
  db: Db,
  { userId, suspend, reason, now = new Date() }: { userId: string; suspend: boolean; reason: string; now?: Date },
): Promise<{ wasSuspended: boolean; changed: boolean } | undefined> {
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom("users")
      .select("suspended_at")
      .where("id", "=", userId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return undefined;
    const wasSuspended = current.suspended_at !== null;
    if (wasSuspended === suspend) return { wasSuspended, changed: false };
    await trx
      .updateTable("users")
      .set(
        suspend
          ? { suspended_at: now, suspension_reason: reason, updated_at: now }
          : { suspended_at: null, suspension_reason: null, updated_at: now },
      )
      .where("id", "=", userId)
      .execute();
    await moveVotesOfAccount(trx, { userId, counted: !suspend });
    return { wasSuspended, changed: true };
  });
}

/** A person as the moderation desk sees them: no email, only what a decision needs. */
export async function getModeratedUser(db: Db, { userId }: { userId: string }) {
  return db
    .selectFrom("users")
    .select([
      "users.id",
      "users.name",
      "users.created_at",
      "users.suspended_at",
      "users.suspension_reason",
      sql<number>`(select count(*)::int from comments c where c.author_id = users.id)`.as("comment_count"),
      sql<number>`(select count(*)::int from messages m where m.author_id = users.id)`.as("message_count"),
      sql<number>`(select count(*)::int from reports r where
        (r.subject_type = 'comment' and r.subject_id in (select c.id from comments c where c.author_id = users.id))
        or (r.subject_type = 'message' and r.subject_id in (select m.id from messages m where m.author_id = users.id)))`.as(
        "reports_against",
      ),
      sql<number>`(select count(*)::int from reports r where r.resolved_at is null and (
        (r.subject_type = 'comment' and r.subject_id in (select c.id from comments c where c.author_id = users.id))
        or (r.subject_type = 'message' and r.subject_id in (select m.id from messages m where m.author_id = users.id))))`.as(
        "open_reports_against",
      ),
    ])
    .where("users.id", "=", userId)
    .where("users.deleted_at", "is", null)
    .executeTakeFirst();
}
