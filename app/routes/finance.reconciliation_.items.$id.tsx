import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { answerTo } from "~/components/finance/action-form";
import { FinTable, Notice, Ref, StatusBadge, When } from "~/components/finance/finance-ui";
import { ItemAbout, ItemStatusBadge } from "~/components/finance/reconciliation-queue";
import { FormError, TextArea, formErrorsOf } from "~/components/fields";
import { getDb } from "~/db.server";
import {
  itemActionSchema,
  NOTE_MAX,
  reopenItemSchema,
  resolveItemSchema,
  type ItemAction,
} from "~/domain/reconciliation-items";
import type { ReconciliationItemStatus } from "../../db/schema.js";
import { metaTranslator } from "~/i18n";
import { requireRole } from "~/services/accounts/auth.server";
import { actOnItem } from "~/services/finance/reconciliation/queue.server";
import { itemPage } from "~/services/finance/reconciliation/queue-view.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestLocale, requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import styles from "~/styles/reconciliation.css";

// One reconciliation item: what the runs saw (both sides), who has it, its history, and the
// moves its status allows (take, release, resolve with a note, reopen). Every move carries the
// status the page was drawn with, so a move on an item someone else moved meanwhile is refused.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [{ title: data ? t("reconciliation:meta.item", { id: data.item.id }) : t("finance:meta.reconciliation") }];
};

/** An item id from the address: a positive whole number, else none. */
function itemIdOf(param: string | undefined): number | null {
  if (!param || !/^[1-9][0-9]{0,14}$/.test(param)) return null;
  return Number(param);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const locale = requestLocale(request, user);
  const id = itemIdOf(params.id);
  const page = id ? await itemPage(await getDb(), { id, t, locale }) : undefined;
  if (!page) notFound(t("reconciliation:item.notFound"));
  return json({ ...page, userId: user.id });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const t = requestTranslator(request, user);
  const id = itemIdOf(params.id);
  if (!id) notFound(t("reconciliation:item.notFound"));
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: itemActionSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await actOnItem(await getDb(), {
    itemId: id,
    input: submission.value,
    actorId: user.id,
    ip: clientIp(context),
    t,
  });
  if (!result.ok) {
    if (result.status === 404) notFound(result.formError);
    return replyWithRefusal(submission, result);
  }
  return json({ intent: submission.value.intent, notice: result.message });
}

export default function ReconciliationItem() {
  const { item, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const answer = actionData && "initialValue" in actionData ? actionData : undefined;
  const answeredIntent = answer?.initialValue?.intent;
  // Buttons without fields show their refusal above the actions; forms with a note show it at the form.
  const pageErrors = answeredIntent === "resolve" || answeredIntent === "reopen" ? undefined : formErrorsOf(actionData);
  return (
    <>
      <nav aria-label={t("finance:nav.breadcrumb")} className="fin-breadcrumb">
        <Link to="/finance">{t("finance:nav.desk")}</Link> /{" "}
        <Link to="/finance/reconciliation">{t("finance:reconciliation.title")}</Link> /{" "}
        {t("reconciliation:item.breadcrumb", { id: item.id })}
      </nav>
      <div className="fin-top">
        <h1>{item.label}</h1>
        <ItemStatusBadge status={item.status} />
      </div>
      {actionData && "notice" in actionData ? <Notice>{actionData.notice}</Notice> : null}
      <FormError errors={pageErrors} />

      <div className="fin-top-grid">
        <section className="fin-section" aria-labelledby="item-facts-title">
          <header>
            <h2 id="item-facts-title">{t("reconciliation:item.title", { id: item.id })}</h2>
          </header>
          <div className="fin-section-body">
            <dl className="fin-facts">
              <dt>{t("reconciliation:item.about")}</dt>
              <dd>
                <ItemAbout item={item} />
              </dd>
              <dt>{t("reconciliation:item.ledger")}</dt>
              <dd>
                {item.ledgerAmount ?? <span className="muted">{t("reconciliation:queue.notBooked")}</span>}{" "}
                <Ref id={item.ledgerId} />
              </dd>
              <dt>{t("reconciliation:item.stripe")}</dt>
              <dd>
                {item.stripeAmount ?? <span className="muted">{t("reconciliation:queue.none_amount")}</span>}{" "}
                <Ref id={item.stripeId} />
              </dd>
              <dt>{t("reconciliation:item.stripeStatus")}</dt>
              <dd>{item.stripeStatus ? <StatusBadge status={item.stripeStatus} /> : "—"}</dd>
              <dt>{t("reconciliation:item.firstSeen")}</dt>
              <dd>
                <When at={item.firstSeenAt} zone /> · #{item.firstSeenRun}
              </dd>
              <dt>{t("reconciliation:item.lastSeen")}</dt>
              <dd>
                <When at={item.lastSeenAt} zone /> · #{item.lastSeenRun}
              </dd>
              <dt>{t("reconciliation:item.assignee")}</dt>
              <dd>{item.assignee ?? t("reconciliation:queue.unassigned")}</dd>
              {item.resolvedAt ? (
                <>
                  <dt>{t("reconciliation:item.resolution")}</dt>
                  <dd>
                    {item.status === "resolved" ? (
                      <>
                        {item.resolvedBy}, <When at={item.resolvedAt} zone />
                      </>
                    ) : (
                      <>
                        {t("reconciliation:item.byRun", { run: item.resolvedByRun })},{" "}
                        <When at={item.resolvedAt} zone />
                      </>
                    )}
                  </dd>
                </>
              ) : null}
            </dl>
            <p className="fin-note">
              <strong>{t("reconciliation:item.detail")}:</strong> {item.detail}
            </p>
            {item.note ? (
              <p className="fin-note">
                <strong>{t("reconciliation:item.resolution")}:</strong> {item.note}
              </p>
            ) : null}
          </div>
        </section>

        <section className="fin-section" aria-labelledby="item-actions-title">
          <header>
            <h2 id="item-actions-title">{t("reconciliation:item.actionsTitle")}</h2>
          </header>
          <div className="fin-section-body">
            {item.actions.length === 0 ? <p className="fin-note">{t("reconciliation:item.noActions")}</p> : null}
            {item.actions.includes("take") ? (
              <ButtonAction
                intent="take"
                expected={item.status}
                title={t("reconciliation:item.take")}
                lead={t("reconciliation:item.takeLead")}
              />
            ) : null}
            {item.actions.includes("release") ? (
              <ButtonAction
                intent="release"
                expected={item.status}
                title={t("reconciliation:item.release")}
                lead={t("reconciliation:item.releaseLead")}
              />
            ) : null}
            {item.actions.includes("resolve") ? (
              <NoteAction intent="resolve" expected={item.status} actionData={actionData} />
            ) : null}
            {item.actions.includes("reopen") ? (
              <NoteAction intent="reopen" expected={item.status} actionData={actionData} />
            ) : null}
          </div>
        </section>
      </div>

      <section className="fin-section" aria-labelledby="history-title">
        <header>
          <h2 id="history-title">{t("reconciliation:item.history")}</h2>
        </header>
        <FinTable
          columns={[
            t("reconciliation:item.historyColumns.when"),
            t("reconciliation:item.historyColumns.who"),
            t("reconciliation:item.historyColumns.change"),
            t("reconciliation:item.historyColumns.note"),
          ]}
        >
          {history.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">
                <When at={e.at} />
              </td>
              <td>{e.who}</td>
              <td>
                {e.byRun && e.from === null
                  ? t("reconciliation:item.created", { run: e.runId })
                  : e.byRun && e.to === "auto_resolved"
                    ? t("reconciliation:item.noLongerSeen", { run: e.runId })
                    : e.byRun
                      ? t("reconciliation:item.seenAgain", { run: e.runId })
                      : t("reconciliation:item.change", {
                          from: e.from ? t(`reconciliation:status.${e.from}`) : "—",
                          to: t(`reconciliation:status.${e.to}`),
                        })}
              </td>
              <td className="wrap">{e.note ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </FinTable>
      </section>
      <p>
        <Link to="/finance/reconciliation">{t("reconciliation:item.back")}</Link>
      </p>
    </>
  );
}

/** A move that is only a button (take, release). */
function ButtonAction({
  intent,
  expected,
  title,
  lead,
}: {
  intent: ItemAction;
  expected: ReconciliationItemStatus;
  title: string;
  lead: string;
}) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" className="fin-action">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="expected" value={expected} />
      <p className="fin-note">{lead}</p>
      <button
        type="submit"
        className={`button ${intent === "take" ? "button-primary" : "button-secondary"}`}
        disabled={busy}
      >
        {busy ? t("reconciliation:item.working") : title}
      </button>
    </Form>
  );
}

/** Resolve (note required) or reopen (note optional): errors at the note, what was typed kept. */
function NoteAction({
  intent,
  expected,
  actionData,
}: {
  intent: "resolve" | "reopen";
  expected: ReconciliationItemStatus;
  actionData: unknown;
}) {
  const { t } = useTranslation();
  const schema = useMemo(() => (intent === "resolve" ? resolveItemSchema(t) : reopenItemSchema(t)), [intent, t]);
  const [form, fields] = useForm({
    id: `item-${intent}`,
    lastResult: answerTo(actionData, intent),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" {...getFormProps(form)} className="fin-action">
      <h3>{intent === "resolve" ? t("reconciliation:item.resolve") : t("reconciliation:item.reopen")}</h3>
      <p className="fin-note">
        {intent === "resolve" ? t("reconciliation:item.resolveLead") : t("reconciliation:item.reopenLead")}
      </p>
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="expected" value={expected} />
      <TextArea
        label={intent === "resolve" ? t("reconciliation:item.noteLabel") : t("reconciliation:item.reopenNoteLabel")}
        field={fields.note}
        rows={3}
        maxLength={NOTE_MAX}
        required={intent === "resolve"}
      />
      <button
        type="submit"
        className={`button ${intent === "resolve" ? "button-primary" : "button-secondary"}`}
        disabled={busy}
      >
        {busy
          ? t("reconciliation:item.working")
          : intent === "resolve"
            ? t("reconciliation:item.resolve")
            : t("reconciliation:item.reopen")}
      </button>
    </Form>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
