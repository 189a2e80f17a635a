import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FinTable, When } from "~/components/finance/finance-ui";
import type { FinanceCampaignPage } from "./page.server";

// Money that moved after the statement froze with the payout: refunds and disputes after it,
// what was taken back from the creator's transfer (or netted from a later payout), and what the
// creator still owes; each recovery with its state.

export function AfterPayoutSection({ after }: { after: NonNullable<FinanceCampaignPage["afterPayout"]> }) {
  const { t } = useTranslation();
  return (
    <section className="fin-section" aria-labelledby="after-payout-title">
      <header>
        <h2 id="after-payout-title">{t("recovery:statement.title")}</h2>
        <p className="muted small">{t("recovery:statement.lead")}</p>
      </header>
      {after.lines.length === 0 ? (
        <div className="fin-section-body">
          <p className="muted">{t("recovery:statement.none")}</p>
        </div>
      ) : (
        <FinTable
          className="fin-statement"
          columns={[t("finance:statement.columns.line"), { label: t("finance:statement.columns.amount"), num: true }]}
        >
          {after.lines.map((l) => (
            <tr key={l.label}>
              <td>{l.label}</td>
              <td className={l.negative ? "num negative" : "num"}>{l.amount}</td>
            </tr>
          ))}
        </FinTable>
      )}
      {after.recoveries.length > 0 ? (
        <FinTable
          columns={[
            t("recovery:statement.columns.refund"),
            { label: t("recovery:statement.columns.amount"), num: true },
            t("recovery:statement.columns.status"),
          ]}
        >
          {after.recoveries.map((r) => (
            <tr key={r.id}>
              <td>
                <Link to={`/finance/pledges/${r.pledgeId}`} title={r.refundReference}>
                  {r.refundShort}
                </Link>
                <div className="muted small">
                  <When at={r.at} />
                </div>
              </td>
              <td className="num">{r.amount}</td>
              <td>
                {r.statusLabel}
                <div className="muted small">
                  {t("recovery:statement.columns.recovered")}: {r.recovered}
                </div>
                {r.failure ? <div className="muted small">{r.failure}</div> : null}
              </td>
            </tr>
          ))}
        </FinTable>
      ) : null}
    </section>
  );
}
