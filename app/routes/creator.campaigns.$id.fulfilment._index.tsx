import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FulfilmentActionPanel, FulfilmentFilterForm, FulfilmentTable } from "~/components/fulfilment/creator-table";
import { getDb } from "~/db.server";
import {
  answerSchema,
  deliverSchema,
  digitalSchema,
  parseFulfilmentFilters,
  shipSchema,
} from "~/domain/fulfilment-forms";
import { isUuid } from "~/domain/ids";
import { refuse } from "~/domain/refusal";
import { metaTranslator } from "~/i18n";
import { ensureFulfilments } from "~/models/fulfilment-state.server";
import { FULFILMENT_PAGE_SIZE, getCampaignFulfilment, listFulfilments } from "~/models/fulfilment.server";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { applyCreatorAction } from "~/services/fulfilment/creator.server";
import { fulfilmentReply } from "~/web/fulfilment-reply";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import styles from "~/styles/fulfilment.css";

// The creator's rewards to send: a table of the campaign's pledges owed a reward, filtered by
// tier, status and destination (query string, read on the server, 50 a page), and the actions
// on one pledge (?pledge=<id>): ship, mark delivered, send a digital reward, answer a problem.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("fulfilment:table.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  const db = await getDb();
  await ensureFulfilments(db, campaign.id);
  const search = new URL(request.url).searchParams;
  const filters = parseFulfilmentFilters(search);
  const selectedId = search.get("pledge");
  const [list, selected] = await Promise.all([
    listFulfilments(db, { campaignId: campaign.id, filters }),
    isUuid(selectedId) ? getCampaignFulfilment(db, { campaignId: campaign.id, pledgeId: selectedId }) : undefined,
  ]);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return json({
    campaignId: campaign.id,
    filters,
    pageSize: FULFILMENT_PAGE_SIZE,
    total: list.total,
    counts: list.counts,
    tiers: list.tiers,
    countries: list.countries,
    rows: list.rows.map((r) => ({
      pledgeId: r.pledge_id,
      status: r.status,
      backerName: r.backer_name,
      tierTitle: r.tier_title,
      addOns: r.add_ons,
      destination: r.shipping_destination,
      carrier: r.carrier,
      trackingNumber: r.tracking_number,
      trackingUrl: r.tracking_url,
      shippedAt: iso(r.shipped_at),
      digital: r.digital_kind !== null,
      problemKind: r.problem_kind,
      problemNote: r.problem_note,
      problemAnswered: r.problem_answer !== null,
    })),
    selected: selected
      ? {
          pledgeId: selected.pledge_id,
          status: selected.status,
          backerName: selected.backer_name,
          tierTitle: selected.tier_title,
          ships: selected.ships ?? false,
          carrier: selected.carrier,
          trackingNumber: selected.tracking_number,
          problemKind: selected.problem_kind,
          problemNote: selected.problem_note,
          problemReportedAt: iso(selected.problem_reported_at),
          problemAnswer: selected.problem_answer,
          digitalKind: selected.digital_kind,
        }
      : null,
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const schemas = { ship: shipSchema, deliver: deliverSchema, digital: digitalSchema, answer: answerSchema } as const;
  if (!(intent in schemas)) return fulfilmentReply(intent, null, refuse(400, t("fulfilment:refusal.unknownAction")));
  const submission = parseWithZod(form, { schema: schemas[intent as keyof typeof schemas](t) });
  if (submission.status !== "success") return json({ form: intent, result: submission.reply() }, { status: 400 });
  const done = await applyCreatorAction(await getDb(), {
    campaignId: campaign.id,
    actorId: actor.userId,
    action: submission.value,
    t,
  });
  if (!done.ok) return fulfilmentReply(intent, submission, done);
  const back = new URL(request.url).searchParams;
  back.set("pledge", submission.value.pledgeId);
  back.set("done", intent);
  return redirect(`/creator/campaigns/${campaign.id}/fulfilment?${back.toString()}`);
}

export default function FulfilmentPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const done = params.get("done");
  const imported = Number(params.get("imported") ?? "0");
  return (
    <div className="creator-section fulfilment">
      <section aria-labelledby="fulfilment-heading">
        <h2 id="fulfilment-heading">{t("fulfilment:table.title")}</h2>
        <p className="muted">{t("fulfilment:table.intro")}</p>
        <p className="form-actions">
          <a href={`/creator/campaigns/${data.campaignId}/fulfilment.csv`} className="button button-secondary" download>
            {t("fulfilment:table.export")}
          </a>
          <a href={`/creator/campaigns/${data.campaignId}/fulfilment/import`} className="button button-ghost">
            {t("fulfilment:table.import")}
          </a>
        </p>
        {done && !actionData ? (
          <p className="notice notice-success" role="status">
            {t(`fulfilment:done.${done}`, { defaultValue: t("fulfilment:done.saved") })}
          </p>
        ) : null}
        {imported > 0 ? (
          <p className="notice notice-success" role="status">
            {t("fulfilment:import.applied", { count: imported })}
          </p>
        ) : null}
        <FulfilmentFilterForm data={data} />
        <FulfilmentTable data={data} />
      </section>
      {data.selected ? (
        <FulfilmentActionPanel key={data.selected.pledgeId} selected={data.selected} actionData={actionData} />
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
