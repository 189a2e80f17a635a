// The objects the emulator stores, typed with the official SDK's own types. Each is a `Pick`
// of the full Stripe type: the fields listed are the ones the emulator fills with Stripe's
// shapes; fields left out are ones this app never reads (documented in README.md).
// Expandable fields hold ids; `expand[]` swaps in the objects at response time.

import type Stripe from "stripe";

export type Customer = Pick<
  Stripe.Customer,
  | "id"
  | "object"
  | "address"
  | "balance"
  | "created"
  | "currency"
  | "default_source"
  | "delinquent"
  | "description"
  | "email"
  | "invoice_prefix"
  | "invoice_settings"
  | "livemode"
  | "metadata"
  | "name"
  | "phone"
  | "preferred_locales"
  | "shipping"
  | "tax_exempt"
>;

export type PaymentMethod = Pick<
  Stripe.PaymentMethod,
  | "id"
  | "object"
  | "allow_redisplay"
  | "billing_details"
  | "card"
  | "created"
  | "customer"
  | "customer_account"
  | "livemode"
  | "metadata"
  | "type"
>;

export type SetupIntent = Pick<
  Stripe.SetupIntent,
  | "id"
  | "object"
  | "allowed_payment_method_types"
  | "application"
  | "automatic_payment_methods"
  | "cancellation_reason"
  | "client_secret"
  | "created"
  | "customer"
  | "description"
  | "last_setup_error"
  | "latest_attempt"
  | "livemode"
  | "mandate"
  | "metadata"
  | "next_action"
  | "on_behalf_of"
  | "payment_method"
  | "payment_method_types"
  | "single_use_mandate"
  | "status"
  | "usage"
>;

export type PaymentIntent = Pick<
  Stripe.PaymentIntent,
  | "id"
  | "object"
  | "allowed_payment_method_types"
  | "amount"
  | "amount_capturable"
  | "amount_received"
  | "application"
  | "application_fee_amount"
  | "automatic_payment_methods"
  | "canceled_at"
  | "cancellation_reason"
  | "capture_method"
  | "client_secret"
  | "confirmation_method"
  | "created"
  | "currency"
  | "customer"
  | "description"
  | "last_payment_error"
  | "latest_charge"
  | "livemode"
  | "metadata"
  | "next_action"
  | "on_behalf_of"
  | "payment_method"
  | "payment_method_types"
  | "processing"
  | "receipt_email"
  | "review"
  | "setup_future_usage"
  | "shipping"
  | "statement_descriptor"
  | "statement_descriptor_suffix"
  | "status"
  | "transfer_data"
  | "transfer_group"
>;

export type Charge = Pick<
  Stripe.Charge,
  | "id"
  | "object"
  | "amount"
  | "amount_captured"
  | "amount_refunded"
  | "application"
  | "application_fee"
  | "application_fee_amount"
  | "balance_transaction"
  | "billing_details"
  | "calculated_statement_descriptor"
  | "captured"
  | "created"
  | "currency"
  | "customer"
  | "description"
  | "disputed"
  | "failure_balance_transaction"
  | "failure_code"
  | "failure_message"
  | "fraud_details"
  | "livemode"
  | "metadata"
  | "on_behalf_of"
  | "outcome"
  | "paid"
  | "payment_intent"
  | "payment_method"
  | "payment_method_details"
  | "receipt_email"
  | "receipt_number"
  | "receipt_url"
  | "refunded"
  | "review"
  | "shipping"
  | "source_transfer"
  | "statement_descriptor"
  | "statement_descriptor_suffix"
  | "status"
  | "transfer"
  | "transfer_data"
  | "transfer_group"
>;

export type BalanceTransaction = Pick<
  Stripe.BalanceTransaction,
  | "id"
  | "object"
  | "amount"
  | "available_on"
  | "balance_type"
  | "created"
  | "currency"
  | "description"
  | "exchange_rate"
  | "fee"
  | "fee_details"
  | "net"
  | "reporting_category"
  | "source"
  | "status"
  | "type"
>;

export type Refund = Pick<
  Stripe.Refund,
  | "id"
  | "object"
  | "amount"
  | "balance_transaction"
  | "charge"
  | "created"
  | "currency"
  | "customer"
  | "description"
  | "failure_balance_transaction"
  | "failure_reason"
  | "metadata"
  | "payment_intent"
  | "payment_method"
  | "reason"
  | "receipt_number"
  | "source_transfer_reversal"
  | "status"
  | "transfer_reversal"
>;

/** `balance_transactions` is stored as ids and expanded on output, as Stripe always does. */
export type Dispute = Omit<
  Pick<
    Stripe.Dispute,
    | "id"
    | "object"
    | "amount"
    | "balance_transactions"
    | "charge"
    | "created"
    | "currency"
    | "evidence_details"
    | "is_charge_refundable"
    | "livemode"
    | "metadata"
    | "payment_intent"
    | "reason"
    | "status"
  >,
  "balance_transactions"
> & { balance_transactions: string[] };

export type CheckoutSession = Pick<
  Stripe.Checkout.Session,
  | "id"
  | "object"
  | "after_expiration"
  | "allow_promotion_codes"
  | "allowed_payment_method_types"
  | "amount_subtotal"
  | "amount_total"
  | "billing_address_collection"
  | "cancel_url"
  | "client_reference_id"
  | "client_secret"
  | "created"
  | "currency"
  | "customer"
  | "customer_creation"
  | "customer_details"
  | "customer_email"
  | "expires_at"
  | "invoice"
  | "livemode"
  | "locale"
  | "metadata"
  | "mode"
  | "payment_intent"
  | "payment_link"
  | "payment_method_collection"
  | "payment_method_types"
  | "payment_status"
  | "setup_intent"
  | "status"
  | "submit_type"
  | "subscription"
  | "success_url"
  | "ui_mode"
  | "url"
>;

export type LineItem = Pick<
  Stripe.LineItem,
  | "id"
  | "object"
  | "amount_discount"
  | "amount_subtotal"
  | "amount_tax"
  | "amount_total"
  | "currency"
  | "description"
  | "quantity"
> & {
  price: { id: string; object: "price"; currency: string; unit_amount: number; product: string; type: "one_time" };
};

export type Account = Pick<
  Stripe.Account,
  | "id"
  | "object"
  | "business_profile"
  | "business_type"
  | "capabilities"
  | "charges_enabled"
  | "country"
  | "created"
  | "default_currency"
  | "details_submitted"
  | "email"
  | "metadata"
  | "payouts_enabled"
  | "requirements"
  | "type"
>;

export type AccountLink = Stripe.AccountLink;

export type Transfer = Pick<
  Stripe.Transfer,
  | "id"
  | "object"
  | "amount"
  | "amount_reversed"
  | "balance_transaction"
  | "created"
  | "currency"
  | "description"
  | "destination"
  | "destination_payment"
  | "livemode"
  | "metadata"
  | "reversals"
  | "reversed"
  | "source_transaction"
  | "source_type"
  | "transfer_group"
>;

export type TransferReversal = Pick<
  Stripe.TransferReversal,
  | "id"
  | "object"
  | "amount"
  | "balance_transaction"
  | "created"
  | "currency"
  | "destination_payment_refund"
  | "metadata"
  | "source_refund"
  | "transfer"
>;

/** Computed from the balance transactions on every request, never stored. */
export type Balance = Pick<Stripe.Balance, "object" | "available" | "livemode" | "pending">;

export type WebhookEndpoint = Pick<
  Stripe.WebhookEndpoint,
  | "id"
  | "object"
  | "api_version"
  | "application"
  | "created"
  | "description"
  | "enabled_events"
  | "livemode"
  | "metadata"
  | "status"
  | "url"
>;

/** `data.object` is a snapshot of whatever changed; Stripe's union type is too narrow to build. */
export type StripeEvent = Omit<Stripe.EventBase, "type" | "data"> & {
  type: Stripe.Event.Type;
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
};

export interface StoredObject {
  id: string;
  object: string;
  created?: number;
}
