import type { SubmissionResult } from "@conform-to/react";
import type { LinkDescriptor } from "@remix-run/node";
import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { percentOf, type PollCard as PollCardData } from "~/domain/crowd";
import styles from "~/styles/polls.css";

// A poll as a visitor meets it: the question, the choices and a Vote button while they may vote
// (a plain POST form, so it works without JavaScript; a changed choice is a new vote), the
// results as bars with their numbers in words once they may see them, and otherwise why not.

/** The answers a vote's redirect names (`?vote=`), each with its sentence under polls:done. */
const VOTE_OUTCOMES = ["voted", "changed", "same"] as const;

export const pollLinks: LinkDescriptor[] = [{ rel: "stylesheet", href: styles }];

export function PollCard({
  poll,
  slug,
  returnTo,
  answer,
  headingLevel = 3,
  voteForm = true,
}: {
  poll: PollCardData;
  slug: string;
  /** Where the vote comes back to (this page). */
  returnTo: string;
  /** The vote's answer when it was refused (on the poll's own page). */
  answer?: SubmissionResult | null;
  /** The question's heading: 1 on the poll's own page, 3 inside a page's section. */
  headingLevel?: 1 | 2 | 3;
  /** False on the creator's list, which reads the results and does not vote. */
  voteForm?: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const busy = useNavigation().formData?.get("pollId") === poll.id;
  const headingId = `poll-${poll.id}-question`;
  const chosen = poll.options.find((o) => o.id === poll.viewerChoice);
  const error = answer?.error?.optionId?.[0] ?? answer?.error?.[""]?.[0];
  const [params] = useSearchParams();
  // The address only names the poll; the notice needs the viewer's stored vote, so a shared
  // link with ?voted= tells nobody else that they voted.
  const justVoted = params.get("voted") === poll.id && poll.viewerChoice !== null && !error;
  const outcome = VOTE_OUTCOMES.find((o) => o === params.get("vote")) ?? "voted";
  const Heading = `h${headingLevel}` as const;
  const errorId = `poll-${poll.id}-error`;
  const mayVote = voteForm && poll.permission === "ok";
  return (
    <section id={`poll-${poll.id}`} className="poll-card" aria-labelledby={headingId}>
      <p className="poll-kicker">
        {poll.closed ? t("polls:card.closedKicker") : t("polls:card.openKicker")}
        {poll.policy === "backers" ? ` · ${t("polls:card.backersOnly")}` : null}
      </p>
      <Heading id={headingId}>{poll.question}</Heading>
      {justVoted ? (
        <p className="notice notice-success" role="status">
          {t(`polls:done.${outcome}`)}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {mayVote ? (
        <Form method="post" action={`/projects/${slug}/polls/${poll.id}`} preventScrollReset>
          <input type="hidden" name="pollId" value={poll.id} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <fieldset className="poll-options" aria-describedby={error ? errorId : undefined}>
            <legend className="visually-hidden">{poll.question}</legend>
            {poll.options.map((o) => (
              <label key={o.id} className="poll-option">
                <input type="radio" name="optionId" value={o.id} defaultChecked={o.id === poll.viewerChoice} required />{" "}
                {o.label}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button-primary" disabled={busy}>
            {chosen ? t("polls:card.change") : t("polls:card.vote")}
          </button>
        </Form>
      ) : null}
      {poll.results ? <PollResults poll={poll} /> : null}
      <p className="muted small">
        {chosen && !poll.closed
          ? t("polls:card.youVotedUntil", { option: chosen.label, date: f.shortDateTime(poll.closesAt) })
          : chosen
            ? t("polls:card.youVoted", { option: chosen.label })
            : null}{" "}
        {poll.closed
          ? t("polls:card.closedOn", { date: f.shortDateTime(poll.closesAt) })
          : !chosen
            ? t("polls:card.closesOn", { date: f.shortDateTime(poll.closesAt) })
            : null}
      </p>
      {voteForm && poll.permission !== "ok" && !poll.closed ? (
        <p className="notice">
          {poll.permission === "signIn" ? (
            <Link to={`/login?redirectTo=${encodeURIComponent(returnTo)}`}>{t("polls:permission.signInLink")}</Link>
          ) : (
            t(`polls:permission.${poll.permission === "disabled" ? "closed" : poll.permission}`)
          )}
        </p>
      ) : null}
      {!poll.results && mayVote ? <p className="muted small">{t("polls:card.resultsAfter")}</p> : null}
    </section>
  );
}

function PollResults({ poll }: { poll: PollCardData }) {
  const { t } = useTranslation();
  const f = useFormat();
  const results = poll.results!;
  return (
    <div className="poll-results">
      <p className="small">{t("polls:card.total", { count: results.total })}</p>
      <ul role="list">
        {poll.options.map((o) => {
          const votes = results.options.find((r) => r.id === o.id)?.voteCount ?? 0;
          const percent = percentOf(votes, results.total);
          return (
            <li key={o.id} className={o.id === poll.viewerChoice ? "poll-result poll-result-mine" : "poll-result"}>
              <span className="poll-result-label">
                {o.label}
                {o.id === poll.viewerChoice ? (
                  <span className="visually-hidden"> {t("polls:card.yourChoice")}</span>
                ) : null}
              </span>
              <span className="poll-result-figure">
                {t("polls:card.result", { percent: f.number(percent), count: votes })}
              </span>
              <span className="poll-bar" aria-hidden="true">
                <span style={{ width: `${percent}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
