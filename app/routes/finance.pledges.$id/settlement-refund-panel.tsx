import { useTranslation } from "react-i18next";
import { ReasonActionForm } from "~/components/finance/action-form";

/** A settlement refund Stripe refused: what is still held for the backer, and the audited retry. */
export function SettlementRefundPanel({
  parked,
  actionData,
}: {
  parked: { held: string; message: string | null } | null;
  actionData: unknown;
}) {
  const { t } = useTranslation();
  if (!parked) return null;
  return (
    <ReasonActionForm
      intent="retry-settlement-refund"
      title={t("finance:settlementRefund.title")}
      button={t("finance:settlementRefund.submit")}
      actionData={actionData}
      placeholder={t("finance:settlementRefund.placeholder")}
    >
      <p className="fin-notice fin-notice-warn">
        {t("finance:settlementRefund.lead", { amount: parked.held, message: parked.message ?? "—" })}
      </p>
    </ReasonActionForm>
  );
}
