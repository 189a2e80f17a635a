import type { SubmissionResult } from "@conform-to/react";
import type { LinkDescriptor } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Trans, useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import type { IdeaStatus } from "../../../db/schema.js";
import type { CrowdPermission } from "~/domain/crowd";
import styles from "~/styles/ideas.css";

// The pieces every ideas page draws alike: an idea's status badge, its vote button, and why a
// viewer may not take part. The vote is a plain POST form, so it works without JavaScript; a
// pressed button withdraws it.

export const ideaLinks: LinkDescriptor[] = [{ rel: "stylesheet", href: styles }];

export function IdeaStatusBadge({ status }: { status: IdeaStatus }) {
  const { t } = useTranslation();
  return <span className={`idea-status idea-status-${status}`}>{t(`ideas:status.${status}`)}</span>;
}

export function VoteForm({
  ideaId,
  title,
  voted,
  voteCount,
  canVote,
}: {
  ideaId: string;
  title: string;
  voted: boolean;
  voteCount: number;
  /** The viewer may vote; otherwise only the count shows. */
  canVote: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("ideaId") === ideaId;
  // "12 votes": the number large, the word small, read together.
  const count = (
    <span className="idea-vote-count">
      {f.number(voteCount)} <span className="muted small">{t("ideas:board.voteWord", { count: voteCount })}</span>
    </span>
  );
  if (!canVote) return <p className="idea-vote">{count}</p>;
  return (
    <Form method="post" className="idea-vote" preventScrollReset>
      {count}
      <input type="hidden" name="intent" value={voted ? "unvote" : "vote"} />
      <input type="hidden" name="ideaId" value={ideaId} />
      <button
        type="submit"
        aria-pressed={voted}
        aria-label={voted ? t("ideas:board.unvoteFor", { title }) : t("ideas:board.voteFor", { title })}
        disabled={busy}
      >
        {voted ? t("ideas:board.unvote") : t("ideas:board.vote")}
      </button>
    </Form>
  );
}

/** Why the viewer may not post or vote, with a sign-in link that comes back to `path`. */
export function PermissionText({ permission, path }: { permission: CrowdPermission; path: string }) {
  const { t } = useTranslation();
  if (permission === "ok") return null;
  if (permission === "signIn")
    return (
      <Trans
        i18nKey="ideas:permission.signIn"
        t={t}
        components={{ signIn: <SignInLink to={`/login?redirectTo=${encodeURIComponent(path)}`} /> }}
      />
    );
  return <>{t(`ideas:permission.${permission}`)}</>;
}

function SignInLink({ to, children }: { to: string; children?: ReactNode }) {
  return <Link to={to}>{children}</Link>;
}

/** The action's answer when it refused the form of this intent (the submission echoes the intent). */
export function refusedAnswer(answer: unknown, intent: string): SubmissionResult | undefined {
  const result = answer as SubmissionResult | null | undefined;
  return result?.initialValue?.intent === intent ? result : undefined;
}
