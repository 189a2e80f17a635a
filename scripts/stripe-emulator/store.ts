// In-memory state of the emulated Stripe account, plus the JSON snapshot it persists as.

import { resourceMissing } from "./http/errors.js";
import type { CardBehaviour } from "./cards.js";
import type {
  Account,
  BalanceTransaction,
  Charge,
  CheckoutSession,
  Customer,
  Dispute,
  LineItem,
  PaymentIntent,
  PaymentMethod,
  Refund,
  SetupIntent,
  StoredObject,
  StripeEvent,
  Transfer,
  TransferReversal,
  WebhookEndpoint,
} from "./types.js";

/** A table of one object type, in creation order (lists walk it backwards: newest first). */
export class Collection<T extends StoredObject> {
  private readonly rows = new Map<string, T>();

  constructor(
    /** Word used in Stripe's "No such customer: 'cus_x'" message. */
    readonly label: string,
  ) {}

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  /** The object, or Stripe's 404 `resource_missing` error naming `param`. */
  require(id: string, param?: string): T {
    const row = this.get(id);
    if (!row) throw resourceMissing(this.label, id, param);
    return row;
  }

  insert(row: T): T {
    this.rows.set(row.id, row);
    return row;
  }

  delete(id: string): boolean {
    return this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Oldest first. */
  all(): T[] {
    return Array.from(this.rows.values());
  }

  load(rows: T[]): void {
    this.rows.clear();
    for (const r of rows) this.rows.set(r.id, r);
  }
}

/**
 * Balance transactions. A pending one reads as `available` once the emulator clock reaches its
 * `available_on`: every read (retrieve, lists, `expand[]`, the snapshot) goes through `get` or
 * `all`, so the status follows `clock/advance` and real time alike without a job per line.
 */
export class BalanceTransactionCollection extends Collection<BalanceTransaction> {
  constructor(
    label: string,
    /** Emulator clock, unix seconds. */
    private readonly clock: () => number,
  ) {
    super(label);
  }

  override get(id: string): BalanceTransaction | undefined {
    const row = super.get(id);
    if (row) this.settle(row, this.clock());
    return row;
  }

  override all(): BalanceTransaction[] {
    const rows = super.all();
    const now = this.clock();
    for (const row of rows) this.settle(row, now);
    return rows;
  }

  private settle(row: BalanceTransaction, now: number): void {
    if (row.status === "pending" && row.available_on <= now) row.status = "available";
  }
}

/**
 * One line of a connected account's own balance (the emulator keeps no objects on connected
 * accounts): a transfer arriving (`payment`), a reversal leaving (`payment_refund`) or the
 * automatic payout to its bank (`payout`, see `POST /_emulator/accounts/:id/pay_out`).
 */
export interface ConnectedBalanceEntry {
  type: "payment" | "payment_refund" | "payout";
  /** Signed, in the currency's minor unit. */
  amount: number;
  currency: string;
  /** Unix seconds (emulator clock) from which the amount counts as available. */
  available_on: number;
  /** The transfer, reversal or payout behind it. */
  source: string;
  created: number;
}

/** What the emulator knows about a saved card beyond its public PaymentMethod shape. */
export interface CardState {
  behaviour: CardBehaviour;
  /** Went through a SetupIntent with a completed 3DS challenge (unlocks off-session for 3155). */
  authenticatedAtSetup: boolean;
}

export interface AccountLinkState {
  account: string;
  refresh_url: string;
  return_url: string;
  expires_at: number;
  used: boolean;
}

export interface CheckoutSessionState {
  lineItems: LineItem[];
  paymentIntentData: {
    metadata: Record<string, string>;
    setup_future_usage: "on_session" | "off_session" | null;
    transfer_destination: string | null;
    application_fee_amount: number | null;
    description: string | null;
    transfer_group: string | null;
  };
  setupIntentData: { metadata: Record<string, string>; description: string | null };
}

/** Deferred work on the emulator clock: survives restarts and follows `clock/advance`. */
export interface Job {
  id: string;
  kind: "checkout_session.expire" | "dispute.create" | "refund.fail";
  ref: string;
  /** Emulator-clock milliseconds. */
  dueAt: number;
}

export interface IdempotencyRecord {
  key: string;
  method: string;
  path: string;
  /** Canonical JSON of the parameters, compared on reuse. */
  fingerprint: string;
  createdAt: number;
  /** Absent while the first request is still executing. */
  response?: { status: number; body: string };
}

export interface PendingDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  attempt: number;
  /** Wall-clock milliseconds (network retries follow real time, not the emulator clock). */
  dueAt: number;
}

export interface InternalState {
  cards: Record<string, CardState>;
  webhookSecrets: Record<string, string>;
  accountLinks: Record<string, AccountLinkState>;
  checkout: Record<string, CheckoutSessionState>;
  jobs: Job[];
  deliveries: PendingDelivery[];
  idempotency: Record<string, IdempotencyRecord>;
  clockOffsetMs: number;
  /** Connected accounts' balances, by account id. */
  connectedBalances: Record<string, ConnectedBalanceEntry[]>;
}

function emptyInternal(): InternalState {
  return {
    cards: {},
    webhookSecrets: {},
    accountLinks: {},
    checkout: {},
    jobs: [],
    deliveries: [],
    idempotency: {},
    clockOffsetMs: 0,
    connectedBalances: {},
  };
}

export class Store {
  readonly customers = new Collection<Customer>("customer");
  readonly paymentMethods = new Collection<PaymentMethod>("PaymentMethod");
  readonly setupIntents = new Collection<SetupIntent>("setupintent");
  readonly paymentIntents = new Collection<PaymentIntent>("payment_intent");
  readonly charges = new Collection<Charge>("charge");
  readonly balanceTransactions = new BalanceTransactionCollection("balance transaction", () => this.unix());
  readonly refunds = new Collection<Refund>("refund");
  readonly disputes = new Collection<Dispute>("dispute");
  readonly checkoutSessions = new Collection<CheckoutSession>("checkout.session");
  readonly accounts = new Collection<Account>("account");
  readonly transfers = new Collection<Transfer>("transfer");
  readonly transferReversals = new Collection<TransferReversal>("transfer reversal");
  readonly events = new Collection<StripeEvent>("event");
  readonly webhookEndpoints = new Collection<WebhookEndpoint>("webhook endpoint");
  internal: InternalState = emptyInternal();

  /** The emulator clock in unix seconds (wall time plus the offset, as `Emulator.unix()`). */
  unix(): number {
    return Math.floor((Date.now() + this.internal.clockOffsetMs) / 1000);
  }

  private collections(): Record<string, Collection<StoredObject>> {
    return {
      customers: this.customers,
      payment_methods: this.paymentMethods,
      setup_intents: this.setupIntents,
      payment_intents: this.paymentIntents,
      charges: this.charges,
      balance_transactions: this.balanceTransactions,
      refunds: this.refunds,
      disputes: this.disputes,
      checkout_sessions: this.checkoutSessions,
      accounts: this.accounts,
      transfers: this.transfers,
      transfer_reversals: this.transferReversals,
      events: this.events,
      webhook_endpoints: this.webhookEndpoints,
    } as unknown as Record<string, Collection<StoredObject>>;
  }

  /** Finds any stored object by id, using Stripe's id prefixes. Used by `expand[]`. */
  byId(id: string): StoredObject | undefined {
    const prefix = id.startsWith("cs_") ? "cs" : id.slice(0, id.indexOf("_"));
    const table = PREFIX_TABLE[prefix];
    return table ? this.collections()[table]!.get(id) : undefined;
  }

  counts(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.collections()).map(([k, c]) => [k, c.size]));
  }

  snapshot(): Snapshot {
    const collections: Record<string, StoredObject[]> = {};
    for (const [name, c] of Object.entries(this.collections())) collections[name] = c.all();
    return { version: SNAPSHOT_VERSION, collections, internal: this.internal };
  }

  restore(snapshot: Snapshot): void {
    if (snapshot.version !== SNAPSHOT_VERSION) throw new Error(`unsupported snapshot version ${snapshot.version}`);
    for (const [name, c] of Object.entries(this.collections())) c.load(snapshot.collections[name] ?? []);
    this.internal = { ...emptyInternal(), ...snapshot.internal };
  }

  reset(): void {
    for (const c of Object.values(this.collections())) c.load([]);
    this.internal = emptyInternal();
  }
}

const PREFIX_TABLE: Record<string, string> = {
  cus: "customers",
  pm: "payment_methods",
  seti: "setup_intents",
  pi: "payment_intents",
  ch: "charges",
  txn: "balance_transactions",
  re: "refunds",
  dp: "disputes",
  cs: "checkout_sessions",
  acct: "accounts",
  tr: "transfers",
  trr: "transfer_reversals",
  evt: "events",
  we: "webhook_endpoints",
};

const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  version: number;
  collections: Record<string, StoredObject[]>;
  internal: InternalState;
}
