import { createHash } from "node:crypto";
import type { z } from "zod";
import { inTransaction } from "../../../db/transaction.js";
import type { Db, FulfilmentStatus } from "../../../db/schema.js";
import { canTransitionFulfilment } from "../../domain/fulfilment";
import {
  parseShipDate,
  type answerSchema,
  type deliverSchema,
  type digitalSchema,
  type shipSchema,
} from "../../domain/fulfilment-forms";
import type { Translate } from "../../domain/locale";
import { refuse, type Refusal } from "../../domain/refusal";
import { lockCampaignFulfilment } from "../../models/fulfilment.server";
import { transitionFulfilment } from "../../models/fulfilment-state.server";
import { queueAnswerEmail, queueDigitalEmail, queueShippedEmail } from "./notify.server";

// What the creator does to one backer's reward: ships it, marks it delivered, sends a digital
// reward, answers a problem. Each locks the fulfilment (of this campaign only: another
// campaign's pledge is not found), checks the move, changes it through transitionFulfilment and
// queues the backer's email in the same transaction.

export type CreatorFulfilmentAction =
  | z.infer<ReturnType<typeof shipSchema>>
  | z.infer<ReturnType<typeof deliverSchema>>
  | z.infer<ReturnType<typeof digitalSchema>>
  | z.infer<ReturnType<typeof answerSchema>>;

type Done = { ok: true; status: FulfilmentStatus };

/** The message for a move the current status does not allow, naming both. */
export function illegalMove(t: Translate, from: FulfilmentStatus, action: string): Refusal {
  return refuse(
    409,
    t("fulfilment:refusal.illegalMove", {
      status: t(`fulfilment:status.${from}`),
      action: t(`fulfilment:actionName.${action}`),
    }),
  );
}

export async function applyCreatorAction(
  db: Db,
  {
    campaignId,
    actorId,
    action,
    t,
    now = new Date(),
  }: { campaignId: string; actorId: string; action: CreatorFulfilmentAction; t: Translate; now?: Date },
): Promise<Done | Refusal> {
  return inTransaction(db, async (trx) => {
    const f = await lockCampaignFulfilment(trx, { campaignId, pledgeId: action.pledgeId });
    if (!f) return refuse(404, t("fulfilment:refusal.notFound"));
    switch (action.intent) {
      case "ship": {
        if (!canTransitionFulfilment(f.status, "shipped")) return illegalMove(t, f.status, "ship");
        const shipment = {
          carrier: action.carrier,
          trackingNumber: action.trackingNumber,
          trackingUrl: action.trackingUrl || null,
          shippedAt: parseShipDate(action.shippedOn, now)!,
        };
        const moved = await transitionFulfilment(trx, {
          pledgeId: f.pledge_id,
          to: "shipped",
          actorId,
          set: {
            carrier: shipment.carrier,
            tracking_number: shipment.trackingNumber,
            tracking_url: shipment.trackingUrl,
            shipped_at: shipment.shippedAt,
            delivered_at: null,
          },
        });
        await queueShippedEmail(trx, f, moved.eventId, shipment);
        return { ok: true, status: "shipped" };
      }
      case "deliver": {
        // Marking delivered is for a shipment the carrier delivered; a digital reward has its own form.
        if (f.status !== "shipped") return illegalMove(t, f.status, "deliver");
        await transitionFulfilment(trx, {
          pledgeId: f.pledge_id,
          to: "delivered",
          actorId,
          set: { delivered_at: now },
        });
        return { ok: true, status: "delivered" };
      }
      case "digital": {
        if (f.status !== "awaiting_survey" && f.status !== "ready") return illegalMove(t, f.status, "digital");
        const moved = await transitionFulfilment(trx, {
          pledgeId: f.pledge_id,
          to: "delivered",
          actorId,
          set: { digital_kind: action.digitalKind, digital_value: action.digitalValue, delivered_at: now },
        });
        await queueDigitalEmail(trx, f, moved.eventId, { kind: action.digitalKind, value: action.digitalValue });
        return { ok: true, status: "delivered" };
      }
      case "answer": {
        if (f.status !== "problem") return illegalMove(t, f.status, "answer");
        const answered = { problem_answer: action.answer, problem_answered_at: now };
        let key: string;
        let status: FulfilmentStatus = "problem";
        if (action.outcome === "answer") {
          // An answer alone is not a status change: the thread's text and time only.
          await trx
            .updateTable("fulfilments")
            .set({ ...answered, updated_at: now })
            .where("pledge_id", "=", f.pledge_id)
            .execute();
          // The same answer sent twice (a double click, a resent form) is emailed once.
          key = `${f.pledge_id}:${createHash("sha256").update(action.answer).digest("hex").slice(0, 32)}`;
        } else if (action.outcome === "replacement") {
          const shipment = {
            carrier: action.carrier!,
            trackingNumber: action.trackingNumber!,
            trackingUrl: action.trackingUrl || null,
            shippedAt: parseShipDate(action.shippedOn!, now)!,
          };
          const moved = await transitionFulfilment(trx, {
            pledgeId: f.pledge_id,
            to: "shipped",
            actorId,
            note: action.answer,
            set: {
              ...answered,
              problem_resolved_at: now,
              carrier: shipment.carrier,
              tracking_number: shipment.trackingNumber,
              tracking_url: shipment.trackingUrl,
              shipped_at: shipment.shippedAt,
              delivered_at: null,
              received_at: null,
            },
          });
          await queueShippedEmail(trx, f, moved.eventId, shipment);
          key = moved.eventId;
          status = "shipped";
        } else {
          // Resolved: the creator considers it settled; the backer can still confirm receipt.
          const moved = await transitionFulfilment(trx, {
            pledgeId: f.pledge_id,
            to: "delivered",
            actorId,
            note: action.answer,
            set: { ...answered, problem_resolved_at: now },
          });
          key = moved.eventId;
          status = "delivered";
        }
        await queueAnswerEmail(trx, f, key, { answer: action.answer, outcome: action.outcome });
        return { ok: true, status };
      }
    }
  });
}
