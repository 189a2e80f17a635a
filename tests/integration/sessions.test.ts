import { randomBytes } from "node:crypto";
import { createSession, deleteExpiredSessions, getSessionUserId } from "~/models/session.server";
import { startBackgroundJobs } from "~/services/background.server";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { useTestEmulator } from "../support/stripe";

const database = useTestDatabase();
const { stripe } = await useTestEmulator();

/** A session row that expired `agoMs` ago, as one left behind by a backer who never came back. */
async function insertExpiredSession(userId: string, agoMs = 60_000) {
  const { db } = database();
  const idHash = randomBytes(32).toString("hex");
  await db
    .insertInto("sessions")
    .values({ id_hash: idHash, user_id: userId, expires_at: new Date(Date.now() - agoMs), ip: null, user_agent: null })
    .execute();
  return idHash;
}

const sessionRows = (userId: string) =>
  database().db.selectFrom("sessions").select("id_hash").where("user_id", "=", userId).execute();

describe("expired sessions", () => {
  it("are deleted by the background pass, while a live session is kept", async () => {
    const { db } = database();
    const user = await makeUser(db, "Returning Backer");
    const expired = await insertExpiredSession(user.id);
    const live = await createSession(db, { userId: user.id, ip: "10.0.0.9", userAgent: "vitest" });
    const warn = vi.spyOn(console, "warn");

    const jobs = startBackgroundJobs(db, stripe, { intervalMs: 60_000 });
    await jobs.stop(); // waits for the pass that starts at once

    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    const left = await sessionRows(user.id);
    expect(left.map((r) => r.id_hash)).not.toContain(expired);
    expect(left).toHaveLength(1);
    expect(await getSessionUserId(db, live.token)).toBe(user.id);
  });

  it("are purged in batches until none are left", async () => {
    const { db } = database();
    const user = await makeUser(db, "Lapsed Backer");
    await deleteExpiredSessions(db); // whatever earlier tests left
    for (let i = 0; i < 5; i++) await insertExpiredSession(user.id, (i + 1) * 3_600_000);
    await createSession(db, { userId: user.id, ip: null, userAgent: null });

    expect(await deleteExpiredSessions(db, { batchSize: 2 })).toBe(5);
    expect(await sessionRows(user.id)).toHaveLength(1);
    expect(await deleteExpiredSessions(db, { batchSize: 2 })).toBe(0);
  });
});
