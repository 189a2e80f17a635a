import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { metaTranslator } from "~/i18n";
import { listProblemEmails } from "~/models/outbox.server";
import { requireAnyRole } from "~/services/accounts/auth.server";
import { retryEmailAsStaff } from "~/services/email/unsubscribe-actions.server";
import { clientIp } from "~/web/context";
import { readForm } from "~/web/read-form";
import styles from "~/styles/creator.css";

export const links = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("mail:staff.meta") }];

const STAFF = ["finance", "admin"] as const;
/** Pending this long past its time (or past its lease) counts as stuck. */
const STUCK_AFTER_MS = 15 * 60_000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnyRole(request, [...STAFF]);
  const rows = await listProblemEmails(await getDb(), { now: new Date(), stuckAfterMs: STUCK_AFTER_MS });
  return json({
    emails: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      to: r.to_email,
      subject: r.subject,
      failed: r.status === "failed",
      attempts: r.attempts,
      reply: r.last_error,
      at: (r.failed_at ?? r.send_after).toISOString(),
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireAnyRole(request, [...STAFF]);
  const id = Number((await readForm(request)).get("id"));
  if (!Number.isSafeInteger(id) || id <= 0) return json({ id: null, retried: false }, { status: 400 });
  const retried = await retryEmailAsStaff(await getDb(), { id, actorId: user.id, ip: clientIp(context) });
  return json({ id, retried }, { status: retried ? 200 : 409 });
}

export default function StaffEmails() {
  const { emails } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="container">
      <h1>{t("mail:staff.title")}</h1>
      <p className="muted">{t("mail:staff.lead")}</p>
      {result?.id != null && (
        <p className={result.retried ? "notice notice-success" : "notice"} role="status">
          {result.retried ? t("mail:staff.retried", { id: result.id }) : t("mail:staff.notRetried", { id: result.id })}
        </p>
      )}
      {emails.length === 0 ? (
        <div className="card empty-state">
          <p>{t("mail:staff.empty")}</p>
        </div>
      ) : (
        <div className="card">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("mail:staff.recipient")}</th>
                <th scope="col">{t("mail:staff.subject")}</th>
                <th scope="col">{t("mail:staff.state")}</th>
                <th scope="col" className="num">
                  {t("mail:staff.attempts")}
                </th>
                <th scope="col">{t("mail:staff.reply")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("mail:staff.retry")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {emails.map((e) => (
                <tr key={e.id}>
                  <td>{e.to}</td>
                  <td>{e.subject}</td>
                  <td>
                    {e.failed ? t("mail:staff.failed") : t("mail:staff.stuck")}
                    <br />
                    <span className="muted small">{f.shortDateTime(e.at)}</span>
                  </td>
                  <td className="num">{e.attempts}</td>
                  <td>
                    <code>{e.reply}</code>
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="id" value={e.id} />
                      <button type="submit" className="button button-secondary">
                        {t("mail:staff.retry")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
