import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface OpenRefundItem {
  pledgeId: string;
  held: string;
  message: string | null;
}

/** Settlement refunds Stripe refused: the campaign closed without them, each waits for a retry. */
export function OpenItemsSection({ items }: { items: OpenRefundItem[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <section className="fin-section" aria-labelledby="open-items-title">
      <header>
        <h2 id="open-items-title">{t("finance:settlementRefund.openItems.title")}</h2>
        <p className="muted small">{t("finance:settlementRefund.openItems.lead")}</p>
      </header>
      <div className="fin-section-body">
        <ul>
          {items.map((item) => (
            <li key={item.pledgeId}>
              <strong>{t("finance:settlementRefund.openItems.held", { amount: item.held })}</strong>
              {item.message ? <span className="muted small"> — {item.message}</span> : null}{" "}
              <Link to={`/finance/pledges/${item.pledgeId}`}>{t("finance:settlementRefund.openItems.open")}</Link>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
