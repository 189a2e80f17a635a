import { Link } from "@remix-run/react";
import { categoryName } from "../domain/catalog";
import type { CampaignCardData } from "../domain/discovery";
import { percentFunded } from "../domain/charge-terms";
import { formatMoney } from "../domain/money";
import { timeLeft } from "../domain/time";
import { CampaignCover } from "./campaign-cover";
import { CardLanguage } from "./campaign-language";
import { ProgressBar } from "./progress";

/** The status line under a card's numbers: time left while open, the outcome after. */
export function campaignStatus(
  c: Pick<CampaignCardData, "state" | "deadline">,
  now: string,
): { text: string; tone: "normal" | "urgent" | "success" | "ended" } {
  switch (c.state) {
    case "live": {
      if (!c.deadline) return { text: "Open", tone: "normal" };
      const left = timeLeft(c.deadline, now);
      if (left.ended) return { text: "Ended · result pending", tone: "ended" };
      return { text: left.label, tone: left.endingSoon ? "urgent" : "normal" };
    }
    case "settling":
      return { text: "Ended · collecting pledges", tone: "ended" };
    case "funded":
      return { text: "Funded", tone: "success" };
    case "unfunded":
      return { text: "Not funded", tone: "ended" };
    case "cancelled":
      return { text: "Cancelled", tone: "ended" };
    default:
      return { text: "Not yet launched", tone: "ended" };
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
  const percent = percentFunded(c.pledgedAmount, c.goalAmount);
  const status = campaignStatus(c, now);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const showMoney = c.state !== "unfunded" && c.state !== "cancelled";
  return (
    <article className="campaign-card">
      <Link to={`/projects/${c.slug}`} className="campaign-card-cover" tabIndex={-1} aria-hidden="true">
        <CampaignCover url={c.coverUrl} alt="" seed={c.id} />
      </Link>
      <div className="campaign-card-body">
        <p className="campaign-card-meta">
          <span className="chip">{categoryName(c.category)}</span>
          <span className="muted">by {c.creatorName}</span>
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
              <ProgressBar percent={percent} label={`${percent}% funded`} />
              <p className="campaign-card-stats">
                <span>
                  <strong>
                    {formatMoney(c.pledgedAmount, c.currency, {
                      compact: c.pledgedAmount >= 1000 * (c.currency === "jpy" ? 1 : 100),
                    })}
                  </strong>{" "}
                  <span className="muted">pledged of {formatMoney(c.goalAmount, c.currency, { compact: true })}</span>
                </span>
                <span className="campaign-card-percent">{percent}%</span>
              </p>
            </>
          ) : null}
          <p className="campaign-card-foot">
            {showMoney ? (
              <span>
                {c.backerCount} {c.backerCount === 1 ? "backer" : "backers"}
              </span>
            ) : (
              <span className="muted">
                {c.state === "cancelled" ? "No one was charged" : "Goal not reached; no one was charged"}
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
