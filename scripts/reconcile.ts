// npm run reconcile — compares the ledger with Stripe and stores the run (the finance desk shows
// the last one). Exit code: 0 all match, 2 mismatches found, 1 the run could not complete.
import { closeDatabase } from "../app/db.server";
import { formatMoney, isCurrency } from "../app/domain/money";
import { mismatchLabel } from "../app/domain/finance";
import { translatorFor } from "../app/i18n";
import { listMismatches } from "../app/models/reconciliation.server";
import { runReconciliation } from "../app/services/finance/reconciliation.server";
import { getStripe } from "../app/services/stripe/client.server";
import { loadConfigOrExit, openMigratedDatabase, runCli } from "./boot";

runCli(async () => {
  const config = loadConfigOrExit();
  const { handle } = await openMigratedDatabase();
  try {
    if (config.stripeMode === "emulator")
      console.log(
        `Stripe: local emulator at ${config.STRIPE_EMULATOR_HOST}:${config.STRIPE_EMULATOR_PORT} (start it with npm start).`,
      );
    const result = await runReconciliation(handle.db, getStripe(), { actorId: null, source: "cli" });
    if (!result.ok) {
      console.log(`Reconciliation failed: ${result.message}`);
      return 1;
    }
    if (result.mismatches === 0) {
      console.log(`Run #${result.runId}: all ${result.checked} objects match.`);
      return 0;
    }
    console.log(`Run #${result.runId}: ${result.mismatches} mismatch(es) in ${result.checked} objects:`);
    const amount = (value: number | null, currency: string | null) =>
      value === null ? "-" : currency && isCurrency(currency) ? formatMoney(value, currency) : String(value);
    for (const m of await listMismatches(handle.db, { runId: result.runId })) {
      console.log(
        `  - ${mismatchLabel(translatorFor("en"), m.kind)}: ledger ${m.ledger_object_id ?? "-"} ${amount(m.ledger_amount, m.currency)} | ` +
          `Stripe ${m.stripe_object_id ?? "-"} ${amount(m.stripe_amount, m.currency)} ${m.stripe_status ?? ""}`.trimEnd() +
          (m.pledge_id ? ` (pledge ${m.pledge_id})` : ""),
      );
    }
    return 2;
  } finally {
    await closeDatabase();
  }
});
