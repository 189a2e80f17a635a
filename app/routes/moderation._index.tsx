import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, When } from "~/components/finance/finance-ui";
import { SubjectDecisionForm } from "~/components/moderation/moderation-ui";
import { getDb } from "~/db.server";
import { reasonLabel, subjectActionSchema } from "~/domain/moderation";
import { metaTranslator } from "~/i18n";
import { listOpenReportGroups } from "~/models/report.server";
import { requireRole } from "~/services/accounts/auth.server";
import { moderateSubject } from "~/services/moderation/desk.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("moderation:meta.reports") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "moderator");
  const groups = await listOpenReportGroups(await getDb());
  return json({
    groups: groups.map((g) => ({
      subjectType: g.subjectType,
      subjectId: g.subjectId,
      reportCount: g.reportCount,
      reasons: g.reasons,
      notes: g.notes,
      firstReportedAt: g.firstReportedAt.toISOString(),
      text: g.text,
      writtenAt: g.subjectCreatedAt.toISOString(),
      state: g.subjectState,
      author: { id: g.authorId, name: g.authorName, suspended: g.authorSuspended },
      campaign: { title: g.campaignTitle, slug: g.campaignSlug },
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "moderator");
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: subjectActionSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { intent, subjectType, subjectId, reason } = submission.value;
  const result = await moderateSubject(await getDb(), {
    moderator: { userId: user.id, ip: clientIp(context) },
    subjectType,
    subjectId,
    action: intent,
    reason,
    t,
  });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/moderation?done=${intent}`);
}

type Group = ReturnType<typeof useLoaderData<typeof loader>>["groups"][number];

export default function ReportQueue() {
  const { groups } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  return (
    <>
      <div className="fin-top">
        <h1>{t("moderation:desk.title")}</h1>
      </div>
      <p className="muted">{t("moderation:desk.intro")}</p>
      {done && ["hide", "delete", "dismiss", "suspend"].includes(done) ? (
        <p className="fin-notice fin-notice-success" role="status">
          {t(`moderation:desk.done.${done}`)}
        </p>
      ) : null}
      {groups.length === 0 ? (
        <section className="fin-section">
          <p className="fin-empty">{t("moderation:desk.empty")}</p>
        </section>
      ) : (
        <ol className="mod-queue" role="list">
          {groups.map((g) => (
            <ReportedSubject key={`${g.subjectType}-${g.subjectId}`} group={g} actionData={actionData} />
          ))}
        </ol>
      )}
    </>
  );
}

function ReportedSubject({ group: g, actionData }: { group: Group; actionData: unknown }) {
  const { t } = useTranslation();
  const headingId = `subject-${g.subjectId}`;
  return (
    <li className="fin-section mod-subject" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          {t(`moderation:desk.${g.subjectType}`)}{" "}
          <span className="muted">
            {t("moderation:desk.onCampaign")} <Link to={`/projects/${g.campaign.slug}`}>{g.campaign.title}</Link>
          </span>
        </h2>
        <p className="muted small">
          {t("moderation:desk.reportCount", { count: g.reportCount })} · {t("moderation:desk.firstReported")}{" "}
          <When at={g.firstReportedAt} />
        </p>
      </header>
      <div className="fin-section-body mod-subject-body">
        <div className="mod-subject-main">
          <p className="mod-reasons">
            {g.reasons.map((r) => (
              <Badge key={r} tone={r === "abuse" ? "bad" : r === "spam" ? "warn" : "neutral"}>
                {reasonLabel(t, r)}
              </Badge>
            ))}
            {g.state !== "visible" ? <Badge tone="info">{t(`moderation:desk.state.${g.state}`)}</Badge> : null}
          </p>
          <p className="mod-byline small">
            {t("moderation:desk.writtenBy")} <Link to={`/moderation/users/${g.author.id}`}>{g.author.name}</Link>
            {g.author.suspended ? (
              <>
                {" "}
                <Badge tone="bad">{t("moderation:user.suspendedBadge")}</Badge>
              </>
            ) : null}{" "}
            · <When at={g.writtenAt} />
          </p>
          {g.state === "deleted" ? (
            <p className="muted">{t("moderation:desk.deletedText")}</p>
          ) : (
            <blockquote className="mod-quote">{g.text}</blockquote>
          )}
          {g.notes.length > 0 ? (
            <div className="mod-notes">
              <h3>{t("moderation:desk.notes")}</h3>
              <ul>
                {g.notes.map((note, i) => (
                  <li key={i}>{note}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <SubjectDecisionForm subjectType={g.subjectType} subjectId={g.subjectId} actionData={actionData} />
      </div>
    </li>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
