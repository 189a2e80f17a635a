// Helpers shared by several resources.

import { invalidRequest, parameterInvalid } from "../http/errors.js";
import type { Emulator } from "../emulator.js";
import type { Params } from "../http/params.js";

/** Top-level fields whose value changed, with their old values (`previous_attributes`). */
export function changedFields<T extends object>(before: T, after: T): Record<string, unknown> | null {
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key as string] = before[key] ?? null;
  }
  return Object.keys(previous).length > 0 ? previous : null;
}

/**
 * `allowed_payment_method_types` (card only here). API version 2026-10-28.endive removed
 * `payment_method_types` from PaymentIntent, SetupIntent and Checkout Session params, so it is
 * refused the way Stripe refuses unknown parameters instead of being silently accepted.
 */
export function allowedPaymentMethodTypes(params: Params): string[] | null {
  if (params.has("payment_method_types")) {
    throw invalidRequest(
      "Received unknown parameter: payment_method_types. Since API version 2026-10-28.endive it is called allowed_payment_method_types.",
      { param: "payment_method_types", code: "parameter_unknown" },
    );
  }
  const types = params.stringList("allowed_payment_method_types");
  if (!types || types.length === 0) return null;
  if (types.some((t) => t !== "card")) {
    throw parameterInvalid(
      "allowed_payment_method_types",
      "The Colecta Stripe emulator supports the card payment method type only.",
    );
  }
  return types;
}

/**
 * `next_action` of an intent waiting for 3D Secure: a redirect to the emulator's challenge page
 * (`/3ds/:id`), which works with or without Stripe.js, unlike `use_stripe_sdk`.
 */
export function threeDSecureAction(emu: Emulator, intentId: string, returnUrl: string | null | undefined) {
  return {
    type: "redirect_to_url" as const,
    redirect_to_url: {
      url: `${emu.publicUrl}/3ds/${intentId}`,
      return_url: returnUrl ?? null,
    },
  };
}
