import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../locale";

// The dashboard's rewards section: survey answers, shipped, received, open problems, and per
// tier whether delivery is late against its estimated month.

export interface FulfilmentFigures {
  owed: number;
  surveyAnsweredPercent: number | null;
  shippedPercent: number | null;
  receivedPercent: number | null;
  problemsOpen: number;
  tiers: Array<{
    tierId: string;
    title: string;
    estimatedDelivery: string | null;
    owed: number;
    sent: number;
    late: boolean;
  }>;
}

export function FulfilmentDashboard({ campaignId, figures }: { campaignId: string; figures: FulfilmentFigures }) {
  const { t } = useTranslation();
  const f = useFormat();
  const percent = (p: number | null) => (p === null ? "—" : t("fulfilment:dashboard.percent", { percent: p }));
  return (
    <section className="card fulfilment-dashboard" aria-labelledby="fulfilment-dashboard-heading">
      <h2 id="fulfilment-dashboard-heading">{t("fulfilment:dashboard.title")}</h2>
      <dl className="stat-grid">
        <div className="stat">
          <dt className="stat-label">{t("fulfilment:dashboard.surveyAnswered")}</dt>
          <dd className="stat-value">{percent(figures.surveyAnsweredPercent)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">{t("fulfilment:dashboard.shipped")}</dt>
          <dd className="stat-value">{percent(figures.shippedPercent)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">{t("fulfilment:dashboard.received")}</dt>
          <dd className="stat-value">{percent(figures.receivedPercent)}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">{t("fulfilment:dashboard.problems")}</dt>
          <dd className="stat-value">
            {figures.problemsOpen > 0 ? (
              <Link to={`/creator/campaigns/${campaignId}/fulfilment?status=problem`}>
                {f.number(figures.problemsOpen)}
              </Link>
            ) : (
              f.number(0)
            )}
          </dd>
        </div>
      </dl>
      <ul className="tier-delivery">
        {figures.tiers.map((tier) => (
          <li key={tier.tierId}>
            <strong>{tier.title}</strong> {t("fulfilment:dashboard.tierSent", { sent: tier.sent, count: tier.owed })}{" "}
            {tier.estimatedDelivery ? (
              <span className="muted small">
                {t("fulfilment:dashboard.estimated", { month: f.monthYear(tier.estimatedDelivery) })}
              </span>
            ) : null}{" "}
            {tier.late ? <span className="status status-late">{t("fulfilment:dashboard.late")}</span> : null}
          </li>
        ))}
      </ul>
      <Link to={`/creator/campaigns/${campaignId}/fulfilment`}>{t("fulfilment:dashboard.open")}</Link>
    </section>
  );
}
