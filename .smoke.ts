import Stripe from "stripe";
import { startEmulator } from "./scripts/stripe-emulator/index.js";
const emu = await startEmulator({ port: 0, dataDir: null, log: () => {} });
const stripe = new Stripe("sk_test_emulator", { apiVersion: "2026-10-28.endive" as any, host: "127.0.0.1", port: emu.port, protocol: "http", maxNetworkRetries: 0 });
const c = await stripe.customers.create({ email: "a@b.c", metadata: { pledge_id: "7" } });
console.log(c.id, c.metadata);
const pm = await stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: c.id });
try {
  await stripe.paymentIntents.create({ amount: 1000, currency: "usd", customer: c.id, payment_method: pm.id, confirm: true, off_session: true });
} catch (e: any) { console.log(e.type, e.statusCode, e.code, e.decline_code, e.raw?.payment_intent?.status, e.payment_intent?.last_payment_error?.code); }
const pm2 = await stripe.paymentMethods.attach("pm_card_visa", { customer: c.id });
const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", customer: c.id, payment_method: pm2.id, confirm: true, off_session: true, expand: ["latest_charge.balance_transaction"] });
console.log(pi.status, (pi.latest_charge as any).balance_transaction.fee);
const list = await stripe.customers.list({ limit: 1 });
console.log(list.data.length, list.has_more, list.url);
const s = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price_data: { currency: "jpy", unit_amount: 5000, product_data: { name: "Tier <b>" } }, quantity: 2 }], success_url: "http://x/ok?s={CHECKOUT_SESSION_ID}" });
console.log(s.url, s.amount_total);
const ev = await stripe.events.list({ limit: 3 });
console.log(ev.data.map(e => e.type));
try { await stripe.customers.retrieve("cus_nope"); } catch (e: any) { console.log(e.statusCode, e.code, e.message); }
try { await stripe.paymentIntents.create({ currency: "usd" } as any); } catch (e: any) { console.log(e.statusCode, e.code, e.param); }
console.log(emu.stats());
await emu.close();
