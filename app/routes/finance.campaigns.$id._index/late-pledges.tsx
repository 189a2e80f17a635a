import { useTranslation } from "react-i18next";
import { ReasonActionForm } from "~/components/finance/action-form";
import { FinTable, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import type { FinanceCampaignPage } from "./page.server";

// The statement page's late pledges: their own statement (kept apart from the settlement's, which
// froze with the first payout), the further payouts made of it, and the next one to prepare or
// approve, four eyes as the first.

type Late = NonNullable<FinanceCampaignPage["late"]>;

export function LatePledgesSection({ late, userId, actionData }: { late: Late; userId: string; actionData: unknown }) {
  const { t } = useTranslation();
  const open = late.payouts.find((p) => p.status !== "paid");
  return (
    <section className="fin-section" aria-labelledby="late-title">
      <header>
        <h2 id="late-title">{t("finance:late.title")}</h2>
        <p className="muted small">{t("finance:late.lead", { count: late.count })}</p>
      </header>
      <FinTable
        className="fin-statement"
        columns={[t("finance:statement.columns.line"), { label: t("finance:statement.columns.amount"), num: true }]}
      >
        {late.lines.map((l) => (
          <tr key={l.label}>
            <td>{l.label}</td>
            <td className={l.negative ? "num negative" : "num"}>{l.amount}</td>
          </tr>
        ))}
        <tr className="line-total">
          <td>{t("finance:late.due")}</td>
          <td className="num">{late.due}</td>
        </tr>
        <tr className="line-check">
          <td>{t("finance:statement.balanceCheck")}</td>
          <td className={late.balanceCheck === 0 ? "num fin-balance-ok" : "num fin-balance-bad"}>
            {late.balanceCheck === 0 ? "✓" : "✗"}
          </td>
        </tr>
      </FinTable>

      <div className="fin-section-body">
        <h3>{t("finance:late.payoutsTitle")}</h3>
        {late.payouts.length === 0 ? <p className="muted small">{t("finance:late.noPayouts")}</p> : null}
        {late.payouts.map((p) => (
          <div key={p.id} className="fin-late-payout">
            <p>
              <strong>{t("finance:late.payoutNumber", { sequence: p.sequence })}</strong> · {p.amount}{" "}
              <StatusBadge status={p.status} label={p.statusLabel} />
            </p>
            <p className="muted small">
              {t("finance:payout.preparedBy")} {p.preparedBy} · <When at={p.preparedAt} />
              {p.approvedBy ? ` · ${t("finance:payout.approvedBy")} ${p.approvedBy}` : ""}
              {p.transferId ? (
                <>
                  {" · "}
                  <Ref id={p.transferId} />
                </>
              ) : null}
            </p>
            {p.failure ? (
              <p className="form-error" role="alert">
                {t("finance:payout.lastFailure", { failure: p.failure })}
              </p>
            ) : null}
          </div>
        ))}

        {open?.status === "prepared" && open.preparedById === userId ? (
          <p className="fin-note" role="note">
            {t("finance:payout.fourEyes")}
          </p>
        ) : null}
        {open && (open.status !== "prepared" || open.preparedById !== userId) ? (
          <ReasonActionForm
            intent="approve-late-payout"
            withCode
            extra={{ payoutId: open.id }}
            title={open.status === "prepared" ? t("finance:late.approveTitle") : t("finance:payout.retryTitle")}
            button={
              open.status === "prepared"
                ? t("finance:payout.approveButton", { amount: open.amount })
                : t("finance:payout.retryButton")
            }
            actionData={actionData}
            placeholder={t("finance:payout.approvePlaceholder")}
          />
        ) : null}

        {late.waitingForFirst ? <p className="muted small">{t("finance:late.afterFirst")}</p> : null}
        {late.plan && late.plan.ready ? (
          <ReasonActionForm
            intent="prepare-late-payout"
            title={t("finance:late.prepareTitle")}
            button={t("finance:payout.prepareButton", { amount: late.plan.amount })}
            actionData={actionData}
            placeholder={t("finance:payout.preparePlaceholder")}
          >
            <p className="muted small">
              {t("finance:late.prepareLead", { amount: late.plan.amount, fee: late.plan.platformFee })}
            </p>
          </ReasonActionForm>
        ) : late.plan ? (
          <ul className="fin-waiting">
            {late.plan.waitingFor.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
