import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { categoryName } from "../domain/catalog";
import type { CampaignCardData } from "../domain/discovery";
import { percentFunded } from "../domain/charge-terms";
import { DEFAULT_LOCALE, type Locale, type Translate } from "../domain/locale";
import { timeLeft } from "../domain/time";
import { CampaignCover } from "./campaign-cover";
import { CardLanguage } from "./campaign-language";
import { useFormat } from "./locale";
import { ProgressBar } from "./progress";

/** The status line under a card's numbers: time left while open, the outcome after. */
export function campaignStatus(
  c: Pick<CampaignCardData, "state" | "deadline">,
  now: string,
  t: Translate,
  locale: Locale = DEFAULT_LOCALE,
): { text: string; tone: "normal" | "urgent" | "success" | "ended" } {
  switch (c.state) {
    case "live": {
      if (!c.deadline) return { text: t("public:card.status.open"), tone: "normal" };
      const left = timeLeft(c.deadline, now, locale);
      if (left.ended) return { text: t("public:card.status.endedPending"), tone: "ended" };
      return { text: left.label, tone: left.endingSoon ? "urgent" : "normal" };
    }
    case "settling":
      return { text: t("public:card.status.collecting"), tone: "ended" };
    case "funded":
      return { text: t("public:card.status.funded"), tone: "success" };
    case "unfunded":
      return { text: t("public:card.status.unfunded"), tone: "ended" };
    case "cancelled":
      return { text: t("public:card.status.cancelled"), tone: "ended" };
    default:
      return { text: t("public:card.status.notLaunched"), tone: "ended" };
  }
}

export function CampaignCard({
  campaign: c,
  now,
  headingLevel = 3,
}: {
  campaign: CampaignCardData;
  now: string;
  headingLevel?: 2 | 3;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const percent = percentFunded(c.pledgedAmount, c.goalAmount);
  const status = campaignStatus(c, now, t, f.locale);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const showMoney = c.state !== "unfunded" && c.state !== "cancelled";
  return (
    <article className="campaign-card">
      <Link to={`/projects/${c.slug}`} className="campaign-card-cover" tabIndex={-1} aria-hidden="true">
        <CampaignCover url={c.coverUrl} alt="" seed={c.id} />
      </Link>
      <div className="campaign-card-body">
        <p className="campaign-card-meta">
          <span className="chip">{categoryName(c.category, t)}</span>
          <span className="muted">{t("public:by", { name: c.creatorName })}</span>
          <CardLanguage language={c.language} />
        </p>
        <Heading className="campaign-card-title" lang={c.language}>
          <Link to={`/projects/${c.slug}`}>{c.title}</Link>
        </Heading>
        <p className="campaign-card-blurb" lang={c.language}>
          {c.blurb}
        </p>
        <div className="campaign-card-numbers">
          {showMoney ? (
            <>
              <ProgressBar percent={percent} label={t("public:card.percentFunded", { percent })} />
              <p className="campaign-card-stats">
                <span>
                  <strong>
                    {f.money(c.pledgedAmount, c.currency, {
                      compact: c.pledgedAmount >= 1000 * (c.currency === "jpy" ? 1 : 100),
                    })}
                  </strong>{" "}
                  <span className="muted">
                    {t("public:card.pledgedOf", { goal: f.money(c.goalAmount, c.currency, { compact: true }) })}
                  </span>
                </span>
                <span className="campaign-card-percent">{t("public:percent", { percent })}</span>
              </p>
            </>
          ) : null}
          <p className="campaign-card-foot">
            {showMoney ? (
              <span>{t("public:card.backers", { count: c.backerCount, number: f.number(c.backerCount) })}</span>
            ) : (
              <span className="muted">
                {c.state === "cancelled" ? t("public:card.cancelledNote") : t("public:card.unfundedNote")}
              </span>
            )}
            <span className={`status status-${status.tone}`}>{status.text}</span>
          </p>
        </div>
      </div>
    </article>
  );
}

export function CampaignGrid({
  campaigns,
  now,
  headingLevel,
}: {
  campaigns: CampaignCardData[];
  now: string;
  headingLevel?: 2 | 3;
}) {
  return (
    <ul className="campaign-grid" role="list">
      {campaigns.map((c) => (
        <li key={c.id}>
          <CampaignCard campaign={c} now={now} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}

export type { CampaignCardData };
