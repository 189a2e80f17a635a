import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { FormError, RadioCards } from "~/components/fields";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { ideaBoardSettingsSchema } from "~/domain/crowd";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { recordAudit } from "~/models/audit.server";
import { ideasAwaitingAnswer, setIdeaBoard } from "~/models/idea.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";

// The creator's Ideas board: open or close it, choose who may post and vote, and the ideas
// still waiting for an answer (each answered on its own page, where its author reads it).

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("ideas:creator.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const waiting = await ideasAwaitingAnswer(await getDb(), { campaignId: campaign.id });
  return json({
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      state: campaign.state,
      enabled: campaign.ideas_enabled,
      policy: campaign.idea_policy,
      ideaCount: campaign.idea_count,
      adoptedCount: campaign.ideas_adopted_count,
    },
    waiting: waiting.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: ideaBoardSettingsSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { enabled, policy } = submission.value;
  const db = await getDb();
  const saved = await db.transaction().execute(async (trx) => {
    const changed = await setIdeaBoard(trx, { campaignId: campaign.id, actor, enabled, policy });
    if (changed && (enabled !== campaign.ideas_enabled || policy !== campaign.idea_policy))
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "campaign.idea_board",
        subjectType: "campaign",
        subjectId: campaign.id,
        ip: actor.ip,
        detail: { from: { enabled: campaign.ideas_enabled, policy: campaign.idea_policy }, to: { enabled, policy } },
      });
    return changed;
  });
  if (!saved) return replyWithRefusal(submission, refuse(404, t("creator:common.campaignNotFound")));
  return redirect(`/creator/campaigns/${campaign.id}/ideas?saved=1`, 303);
}

export default function IdeaBoardSettings() {
  const { campaign, waiting } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const f = useFormat();
  const schema = useMemo(() => ideaBoardSettingsSchema(t), [t]);
  const [form, fields] = useForm({
    lastResult: answer,
    defaultValue: { enabled: campaign.enabled ? "on" : "off", policy: campaign.policy },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
  const busy = useNavigation().state === "submitting";
  const boardPath = `/projects/${campaign.slug}/ideas`;
  return (
    <div className="creator-section">
      <section className="card" aria-labelledby="idea-board-heading">
        <h2 id="idea-board-heading">{t("ideas:creator.title")}</h2>
        <p className="muted">{t("ideas:creator.intro")}</p>
        {params.has("saved") && !answer ? (
          <p className="notice notice-success" role="status">
            {t("ideas:creator.saved")}
          </p>
        ) : null}
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormError errors={form.errors} />
          <RadioCards
            legend={t("ideas:creator.boardLegend")}
            field={fields.enabled}
            options={[
              { value: "on", label: t("ideas:creator.on"), explanation: t("ideas:creator.onExplanation") },
              { value: "off", label: t("ideas:creator.off"), explanation: t("ideas:creator.offExplanation") },
            ]}
          />
          <RadioCards
            legend={t("ideas:creator.policyLegend")}
            field={fields.policy}
            options={[
              {
                value: "backers",
                label: t("ideas:creator.backers"),
                explanation: t("ideas:creator.backersExplanation"),
              },
              {
                value: "signed_in",
                label: t("ideas:creator.signedIn"),
                explanation: t("ideas:creator.signedInExplanation"),
              },
            ]}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>
              {t("ideas:creator.save")}
            </button>
          </div>
        </Form>
      </section>
      {campaign.state !== "draft" ? (
        <section className="card" aria-labelledby="idea-waiting-heading">
          <h2 id="idea-waiting-heading">{t("ideas:creator.awaiting")}</h2>
          <p className="muted">
            {t("ideas:creator.counts", {
              ideas: t("ideas:board.count", { count: campaign.ideaCount }),
              adopted: t("ideas:crowd.adopted", { count: campaign.adoptedCount }),
            })}{" "}
            <Link to={boardPath}>{t("ideas:creator.openBoard")}</Link>
          </p>
          {waiting.length === 0 ? (
            <p className="muted">{t("ideas:creator.awaitingEmpty")}</p>
          ) : (
            <>
              <p className="muted small">{t("ideas:creator.awaitingIntro")}</p>
              <ul className="creator-list">
                {waiting.map((i) => (
                  <li key={i.id}>
                    <Link to={`${boardPath}/${i.id}`}>{i.title}</Link>{" "}
                    <span className="muted small">
                      {t(`ideas:kind.${i.kind}`)} · {i.authorName} · {t("ideas:creator.votes", { count: i.voteCount })}{" "}
                      · <time dateTime={i.createdAt}>{f.date(i.createdAt)}</time>
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
