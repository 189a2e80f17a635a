import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReasonActionForm } from "~/components/finance/action-form";
import { Badge, When } from "~/components/finance/finance-ui";
import { getDb } from "~/db.server";
import { isUuid } from "~/domain/ids";
import { suspensionSchema } from "~/domain/moderation";
import { metaTranslator } from "~/i18n";
import { getModeratedUser } from "~/models/suspension.server";
import { requireRole } from "~/services/accounts/auth.server";
import { changeSuspension } from "~/services/moderation/desk.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [{ title: data ? t("moderation:meta.user", { name: data.person.name }) : t("moderation:meta.userFallback") }];
};

async function requirePersonId(request: Request, id: string | undefined) {
  const user = await requireRole(request, "moderator");
  const t = requestTranslator(request, user);
  if (!isUuid(id)) notFound(t("moderation:user.notFound"));
  return { user, t, personId: id };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, personId } = await requirePersonId(request, params.id);
  const person = await getModeratedUser(await getDb(), { userId: personId });
  if (!person) notFound(t("moderation:user.notFound"));
  return json({
    person: {
      id: person.id,
      name: person.name,
      joinedAt: person.created_at.toISOString(),
      suspendedAt: person.suspended_at?.toISOString() ?? null,
      suspensionReason: person.suspension_reason,
      comments: person.comment_count,
      messages: person.message_count,
      reportsAgainst: person.reports_against,
      openReportsAgainst: person.open_reports_against,
    },
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, t, personId } = await requirePersonId(request, params.id);
  const submission = parseWithZod(await readForm(request), { schema: suspensionSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await changeSuspension(await getDb(), {
    moderator: { userId: user.id, ip: clientIp(context) },
    userId: personId,
    suspend: submission.value.intent === "suspend",
    reason: submission.value.reason,
    t,
  });
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/moderation/users/${personId}?done=${submission.value.intent}`);
}

export default function ModeratedPerson() {
  const { person } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  return (
    <>
      <nav aria-label={t("moderation:nav.breadcrumb")} className="fin-breadcrumb">
        <Link to="/moderation">{t("moderation:nav.reports")}</Link> / {t("moderation:user.breadcrumb")}
      </nav>
      <div className="fin-top">
        <h1>{person.name}</h1>
        {person.suspendedAt ? (
          <Badge tone="bad">{t("moderation:user.suspendedBadge")}</Badge>
        ) : (
          <Badge tone="good">{t("moderation:user.activeBadge")}</Badge>
        )}
      </div>
      <p className="fin-meta">
        <span>
          {t("moderation:user.joined")}{" "}
          <strong>
            <When at={person.joinedAt} />
          </strong>
        </span>
        <span>
          {t("moderation:user.comments")} <strong>{person.comments}</strong>
        </span>
        <span>
          {t("moderation:user.messages")} <strong>{person.messages}</strong>
        </span>
        <span>
          {t("moderation:user.reportsAgainst")} <strong>{person.reportsAgainst}</strong> (
          {t("moderation:user.open", { count: person.openReportsAgainst })})
        </span>
      </p>
      {done === "suspend" || done === "lift" ? (
        <p className="fin-notice fin-notice-success" role="status">
          {t(`moderation:user.done.${done}`)}
        </p>
      ) : null}
      <section className="fin-section" aria-labelledby="suspension-heading">
        <header>
          <h2 id="suspension-heading">{t("moderation:user.suspensionHeading")}</h2>
        </header>
        <div className="fin-section-body">
          {person.suspendedAt ? (
            <>
              <p>
                {t("moderation:user.suspendedSince")} <When at={person.suspendedAt} />
              </p>
              <blockquote className="mod-quote">{person.suspensionReason}</blockquote>
              <ReasonActionForm
                intent="lift"
                title={t("moderation:user.lift.title")}
                button={t("moderation:user.lift.button")}
                tone="secondary"
                actionData={actionData}
              >
                <p className="muted small">{t("moderation:user.lift.explain")}</p>
              </ReasonActionForm>
            </>
          ) : (
            <ReasonActionForm
              intent="suspend"
              title={t("moderation:user.suspend.title")}
              button={t("moderation:user.suspend.button")}
              tone="danger"
              actionData={actionData}
              placeholder={t("moderation:user.suspend.placeholder")}
            >
              <p className="muted small">{t("moderation:user.suspend.explain")}</p>
            </ReasonActionForm>
          )}
        </div>
      </section>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
