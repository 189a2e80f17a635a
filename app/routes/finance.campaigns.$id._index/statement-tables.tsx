import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FinTable } from "~/components/finance/finance-ui";
import { useFormat } from "~/components/locale";
import type { StatementLine } from "~/domain/finance";
import type { CurrencyCode } from "../../../db/schema.js";
import type { FinanceCampaignPage } from "./page.server";

// The statement page's two tables: the money lines down to the payout due and the balance check,
// and the pledge lines; each line with pledges behind it links to them.

type Statement = NonNullable<FinanceCampaignPage["statement"]>;

const drill = (campaignId: string, line: StatementLine) => `/finance/campaigns/${campaignId}/pledges?line=${line}`;

/** A line's link to the pledges behind it, or a dash where there are none. */
function DrillCell({ campaignId, line, label }: { campaignId: string; line: StatementLine | null; label: string }) {
  const { t } = useTranslation();
  return (
    <td className="num">
      {line ? (
        <Link to={drill(campaignId, line)} aria-label={t("finance:statement.pledgesBehind", { label })}>
          {t("finance:statement.view")}
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
  const { t } = useTranslation();
  return (
    <section className="fin-section" aria-labelledby="money-title">
      <header>
        <h2 id="money-title">{t("finance:statement.moneyTitle")}</h2>
        <p className="muted small">{t("finance:statement.moneyLead", { currency: currency.toUpperCase() })}</p>
      </header>
      <FinTable
        className="fin-statement"
        columns={[
          t("finance:statement.columns.line"),
          { label: t("finance:statement.columns.amount"), num: true },
          { label: t("finance:statement.columns.pledges"), num: true },
        ]}
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
            {t("finance:statement.payoutDue")}
            {statement.feePending ? <span className="explain">{t("finance:statement.beforeFee")}</span> : null}
          </td>
          <td className="num">{statement.payoutDue}</td>
          <td />
        </tr>
        <tr className="line-check">
          <td>
            {t("finance:statement.balanceCheck")}{" "}
            <span className="explain">{t("finance:statement.balanceExplain")}</span>
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
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="fin-section" aria-labelledby="pledges-title">
      <header>
        <h2 id="pledges-title">{t("finance:statement.pledgesTitle")}</h2>
        <p className="muted small">{t("finance:statement.pledgesLead")}</p>
      </header>
      <FinTable
        className="fin-statement"
        columns={[
          t("finance:statement.columns.line"),
          { label: t("finance:statement.columns.count"), num: true },
          { label: t("finance:statement.columns.amount"), num: true },
          { label: t("finance:statement.columns.pledges"), num: true },
        ]}
      >
        {statement.pledges.map((l) => (
          <tr key={l.line}>
            <td>{l.label}</td>
            <td className="num">{l.count === null ? "—" : f.number(l.count)}</td>
            <td className="num">{l.amount}</td>
            <DrillCell campaignId={campaignId} line={l.any ? l.line : null} label={l.label} />
          </tr>
        ))}
      </FinTable>
    </section>
  );
}

/** What the add-ons brought in, within the collected line above (absent when none sold). */
export function StatementAddOns({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (statement.addOns.length === 0) return null;
  return (
    <section className="fin-section" aria-labelledby="add-ons-title">
      <header>
        <h2 id="add-ons-title">{t("finance:statement.addOnsTitle")}</h2>
        <p className="muted small">{t("finance:statement.addOnsLead")}</p>
      </header>
      <FinTable
        className="fin-statement"
        columns={[
          t("finance:statement.columns.addOn"),
          { label: t("finance:statement.columns.units"), num: true },
          { label: t("finance:statement.columns.pledges"), num: true },
          { label: t("finance:statement.columns.amount"), num: true },
          { label: t("finance:statement.columns.shipping"), num: true },
        ]}
      >
        {statement.addOns.map((a) => (
          <tr key={a.id}>
            <td>{a.title}</td>
            <td className="num">{f.number(a.units)}</td>
            <td className="num">{f.number(a.pledges)}</td>
            <td className="num">{a.amount}</td>
            <td className="num">{a.shipping}</td>
          </tr>
        ))}
      </FinTable>
    </section>
  );
}
