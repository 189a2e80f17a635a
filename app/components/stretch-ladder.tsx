import type { LinkDescriptor } from "@remix-run/node";
import { Trans, useTranslation } from "react-i18next";
import type { CurrencyCode } from "../../db/schema.js";
import { useFormat } from "~/components/locale";
import { ProgressBar } from "~/components/progress";
import { stretchLadder } from "~/domain/stretch-goals";
import styles from "~/styles/stretch.css";

// A campaign's stretch goals as a reader meets them: where the total stands and how far it is to
// the next goal, then each goal, lowest first, with its amount, title and what it adds. Each
// goal's state is written out ("Reached on 4 December 2026", "Next goal: $500.00 to go", "Not
// reached yet"); the marks and colours only repeat it.

export const stretchLinks: LinkDescriptor[] = [{ rel: "stylesheet", href: styles }];

export interface StretchGoalData {
  id: string;
  title: string;
  description: string;
  /** Minor units of the campaign's currency. */
  amount: number;
  /** ISO time; null while not reached. */
  reachedAt: string | null;
}

export function StretchLadder({
  goals,
  goalAmount,
  pledgedAmount,
  currency,
  open,
  lang,
}: {
  goals: StretchGoalData[];
  goalAmount: number;
  pledgedAmount: number;
  currency: CurrencyCode;
  /** The campaign is taking pledges: the way to the next goal is shown. */
  open: boolean;
  /** The campaign's language, which its goals are written in. */
  lang?: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const ladder = stretchLadder({ goal: goalAmount, pledged: pledgedAmount, goals });
  const money = (amount: number) => f.money(amount, currency);
  const raised = money(pledgedAmount);
  return (
    <section className="stretch-ladder" aria-labelledby="stretch-title">
      <h2 id="stretch-title">{t("stretch:title")}</h2>
      <p className="stretch-intro">{t("stretch:ladder.intro")}</p>
      <p className="stretch-position">
        {!open
          ? t("stretch:ladder.positionEnded", { raised })
          : ladder.next
            ? t("stretch:ladder.position", { raised, remaining: money(ladder.next.remaining) })
            : t("stretch:ladder.positionAllReached", { raised })}
      </p>
      {open && ladder.next ? (
        <ProgressBar
          percent={ladder.next.percent}
          label={t("stretch:ladder.progressLabel", {
            percent: f.number(ladder.next.percent),
            amount: money(ladder.next.amount),
          })}
        />
      ) : null}
      <ol className="stretch-rungs" role="list">
        {ladder.rungs.map((rung) => {
          const titleId = `stretch-${rung.id}`;
          return (
            <li key={rung.id} className={`stretch-rung stretch-rung-${rung.state}`} aria-labelledby={titleId}>
              <span className="stretch-mark" aria-hidden="true">
                {rung.state === "reached" ? <CheckIcon /> : null}
              </span>
              <div className="stretch-body">
                <p className="stretch-amount">{money(rung.amount)}</p>
                <h3 id={titleId} lang={lang}>
                  {rung.title}
                </h3>
                <p className="stretch-status">
                  {rung.reachedAt !== null ? (
                    <Trans
                      i18nKey="stretch:ladder.reachedOn"
                      t={t}
                      values={{ date: f.date(rung.reachedAt) }}
                      components={{ time: <time dateTime={rung.reachedAt} /> }}
                    />
                  ) : rung.state === "next" && open && ladder.next ? (
                    t("stretch:ladder.next", { remaining: money(ladder.next.remaining) })
                  ) : (
                    t("stretch:ladder.ahead")
                  )}
                </p>
                {rung.description ? (
                  <p className="stretch-description" lang={lang}>
                    {rung.description}
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function CheckIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" focusable="false">
      <path d="M3 8.5l3.2 3L13 4.5" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}
