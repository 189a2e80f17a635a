import { Link } from "@remix-run/react";
import { FinTable } from "~/components/finance/finance-ui";
import type { StatementLine } from "~/domain/finance";
import type { CurrencyCode } from "../../../db/schema.js";
import type { FinanceCampaignPage } from "./page.server";

// The statement page's two tables: the money lines down to the payout due and the balance check,
// and the pledge lines; each line with pledges behind it links to them.

type Statement = NonNullable<FinanceCampaignPage["statement"]>;

const drill = (campaignId: string, line: StatementLine) => `/finance/campaigns/${campaignId}/pledges?line=${line}`;

/** A line's link to the pledges behind it, or a dash where there are none. */
function DrillCell({ campaignId, line, label }: { campaignId: string; line: StatementLine | null; label: string }) {
  return (
    <td className="num">
      {line ? (
        <Link to={drill(campaignId, line)} aria-label={`Pledges behind ${label}`}>
          View
        </Link>
      ) : (
        <span className="muted">—</span>
      )}
    </td>
  );
}

export function StatementMoney({
  campaignId,
  currency,
  statement,
}: {
  campaignId: string;
  currency: CurrencyCode;
  statement: Statement;
}) {
  return (
    <section className="fin-section" aria-labelledby="money-title">
      <header>
        <h2 id="money-title">Settlement statement</h2>
        <p className="muted small">{currency.toUpperCase()} · from the journal</p>
      </header>
      <FinTable
        className="fin-statement"
        columns={["Line", { label: "Amount", num: true }, { label: "Pledges", num: true }]}
      >
        {statement.money.map((l) => (
          <tr key={l.label}>
            <td>{l.label}</td>
            <td className={l.negative ? "num negative" : "num"}>{l.amount}</td>
            <DrillCell
              campaignId={campaignId}
              line={l.line && l.amount !== statement.zero ? l.line : null}
              label={l.label}
            />
          </tr>
        ))}
        <tr className="line-total">
          <td>
            Payout due to the creator
            {statement.feePending ? <span className="explain"> (before the platform fee)</span> : null}
          </td>
          <td className="num">{statement.payoutDue}</td>
          <td />
        </tr>
        <tr className="line-check">
          <td>
            Balance check <span className="explain">(Stripe balance − payout due − platform fee; must be zero)</span>
          </td>
          <td className={statement.balanceCheck === 0 ? "num fin-balance-ok" : "num fin-balance-bad"}>
            {statement.balanceCheckText} {statement.balanceCheck === 0 ? "✓" : "✗"}
          </td>
          <td />
        </tr>
      </FinTable>
    </section>
  );
}

export function StatementPledges({ campaignId, statement }: { campaignId: string; statement: Statement }) {
  return (
    <section className="fin-section" aria-labelledby="pledges-title">
      <header>
        <h2 id="pledges-title">Pledges</h2>
        <p className="muted small">counts and pledged amounts</p>
      </header>
      <FinTable
        className="fin-statement"
        columns={[
          "Line",
          { label: "Count", num: true },
          { label: "Amount", num: true },
          { label: "Pledges", num: true },
        ]}
      >
        {statement.pledges.map((l) => (
          <tr key={l.line}>
            <td>{l.label}</td>
            <td className="num">{l.count ?? "—"}</td>
            <td className="num">{l.amount}</td>
            <DrillCell campaignId={campaignId} line={l.any ? l.line : null} label={l.label} />
          </tr>
        ))}
      </FinTable>
    </section>
  );
}
