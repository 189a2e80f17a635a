import type Stripe from "stripe";
import type { Db } from "../../db/schema.js";
import { refreshTrending, TRENDING_BACKGROUND_REFRESH_MS } from "../models/campaign-query.server";
import { deleteExpiredSessions } from "../models/session.server";
import { reconcileStaleCheckouts } from "./pledges/checkout-sync.server";
import { sendDueRefunds } from "./pledges/payment-refunds.server";
import { processPendingStripeEvents } from "./stripe/events.server";
import { reconcileOpenRaises } from "./pledges/up-front-changes.server";
import { dailyCommentDigest } from "./comments/digest.server";
import { surveyBackgroundPass } from "./surveys/invitations.server";
import { fulfilmentHousekeeping } from "./fulfilment/housekeeping.server";

/**
 * Periodic housekeeping run by `npm start` (and later by workers): webhook events stored but
 * not handled, checkouts and raises whose webhook never came, refunds Stripe could not take
 * when they were made, expired sessions, the trending snapshot the public pages read, and the
 * creators' daily digest of new comments.
 * Each pass is safe to run anywhere, any number of times.
 */
export function startBackgroundJobs(db: Db, stripe: Stripe, { intervalMs = 30_000 } = {}) {
  let running = false;
  const commentDigest = dailyCommentDigest(db);
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      // First: it needs no Stripe, so an unreachable Stripe does not keep dead sessions around.
      await deleteExpiredSessions(db);
      await refreshTrending(db, { now: new Date(), maxAgeMs: TRENDING_BACKGROUND_REFRESH_MS });
      await commentDigest();
      // Survey invitations for late backers, and the 3- and 7-day reminders.
      await surveyBackgroundPass(db);
      await fulfilmentHousekeeping(db);
      await processPendingStripeEvents(db, stripe);
      await reconcileStaleCheckouts(db, stripe);
      await reconcileOpenRaises(db, stripe);
      await sendDueRefunds(db, stripe);
    } catch (error) {
      console.warn(`[background] pass failed, will retry: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  void pass();
  return {
    stop: async () => {
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
