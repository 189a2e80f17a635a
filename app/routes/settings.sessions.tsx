import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError, formErrorsOf } from "~/components/fields";
import { useLocale } from "~/components/locale";
import { getDb } from "~/db.server";
import { describeDevice } from "~/domain/devices";
import { formatShortDateTime } from "~/domain/time";
import { listUserSessions } from "~/models/session.server";
import { requireUserSession } from "~/services/accounts/auth.server";
import { signOutOtherSessions, signOutSession } from "~/services/accounts/settings.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("account:sessions.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, sessionIdHash } = await requireUserSession(request);
  const sessions = await listUserSessions(await getDb(), { userId: user.id });
  return json({
    sessions: sessions.map((s) => ({
      id: s.idHash,
      here: s.idHash === sessionIdHash,
      createdAt: s.createdAt.toISOString(),
      ip: s.ip,
      ...describeDevice(s.userAgent),
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, sessionIdHash } = await requireUserSession(request);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const ip = clientIp(context);
  const db = await getDb();
  if (form.get("intent") === "others") {
    const revoked = await signOutOtherSessions(db, { userId: user.id, keepSessionIdHash: sessionIdHash, ip });
    return json({ notice: t("account:sessions.revokedOthers", { count: revoked }) });
  }
  const outcome = await signOutSession(db, { userId: user.id, idHash: String(form.get("session") ?? ""), ip, t });
  if (!outcome.ok) return replyWithRefusal(null, outcome);
  return json({ notice: t("account:sessions.revoked") });
}

export default function SessionsSettingsPage() {
  const { sessions } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  const locale = useLocale();
  const others = sessions.filter((s) => !s.here).length;
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title">{t("account:sessions.title")}</h1>
      {answer && "notice" in answer ? (
        <p className="account-notice" role="status">
          {answer.notice}
        </p>
      ) : null}
      <FormError errors={formErrorsOf(answer)} />
      <p className="muted">{t("account:sessions.lead")}</p>
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.id} className="card">
            <div>
              <strong>
                {t("account:sessions.device", {
                  browser: s.browser ?? t("account:sessions.unknownBrowser"),
                  os: s.os ?? t("account:sessions.unknownOs"),
                })}
              </strong>
              {s.here ? <span className="badge-here">{t("account:sessions.thisDevice")}</span> : null}
              <br />
              <span className="muted small">
                {t("account:sessions.signedIn", { when: formatShortDateTime(s.createdAt, "UTC", locale) })}
                {s.ip ? ` · ${t("account:sessions.from", { ip: s.ip })}` : null}
              </span>
            </div>
            {s.here ? null : (
              <Form method="post">
                <input type="hidden" name="session" value={s.id} />
                <button type="submit" className="button button-ghost">
                  {t("account:sessions.signOut")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="others" />
          <button type="submit" className="button button-primary">
            {t("account:sessions.signOutOthers")}
          </button>
        </Form>
      ) : (
        <p className="muted">{t("account:sessions.noOthers")}</p>
      )}
    </section>
  );
}
