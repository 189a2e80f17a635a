// Every API route the emulator serves, and the deferred jobs resources need.

import type { Emulator } from "../emulator.js";
import type { Route } from "../http/router.js";
import { accountRoutes } from "./accounts.js";
import { balanceRoutes } from "./balance.js";
import { balanceTransactionRoutes } from "./balance-transactions.js";
import { chargeRoutes } from "./charges.js";
import { checkoutSessionRoutes, expireSessionIfOpen } from "./checkout-sessions.js";
import { customerRoutes } from "./customers.js";
import { disputeRoutes, openDispute } from "./disputes.js";
import { eventRoutes } from "./events.js";
import { paymentIntentRoutes } from "./payment-intents.js";
import { paymentMethodRoutes } from "./payment-methods.js";
import { failRefund, refundRoutes } from "./refunds.js";
import { setupIntentRoutes } from "./setup-intents.js";
import { transferRoutes } from "./transfers.js";
import { webhookEndpointRoutes } from "./webhook-endpoints.js";

export const apiRoutes: Route[] = [
  ...customerRoutes,
  ...paymentMethodRoutes,
  ...setupIntentRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...balanceRoutes,
  ...balanceTransactionRoutes,
  ...refundRoutes,
  ...disputeRoutes,
  ...checkoutSessionRoutes,
  ...accountRoutes,
  ...transferRoutes,
  ...eventRoutes,
  ...webhookEndpointRoutes,
];

export function registerJobs(emu: Emulator): void {
  emu.onJob("checkout_session.expire", (id) => expireSessionIfOpen(emu, id));
  emu.onJob("dispute.create", (chargeId) => openDispute(emu, chargeId));
  emu.onJob("refund.fail", (refundId) => failRefund(emu, refundId));
}
