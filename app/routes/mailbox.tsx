import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { metaTranslator } from "~/i18n";
import { listCaughtEmails } from "~/models/caught-email.server";
import { requireUser } from "~/services/accounts/auth.server";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("backer:mailbox.meta") }];

// With no SMTP_URL the mail goes to the embedded SMTP catcher: this is what it received for you.
export async function loader({ request }: LoaderFunctionArgs) {
  if (getConfig().SMTP_URL) notFound();
  const user = await requireUser(request);
  const emails = await listCaughtEmails(await getDb(), { toEmail: user.email, limit: 100 });
  return json({
    email: user.email,
    emails: emails.map((e) => ({
      id: e.id,
      subject: e.subject,
      body: e.body_text ?? "",
      at: e.received_at.toISOString(),
    })),
  });
}

export default function Mailbox() {
  const { email, emails } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="container narrow">
      <h1>{t("backer:mailbox.title")}</h1>
      <p className="muted">{t("mail:mailbox.lead", { email })}</p>
      {emails.length === 0 ? (
        <div className="card empty-state">
          <p>{t("backer:mailbox.empty")}</p>
        </div>
      ) : (
        <ul className="mail-list">
          {emails.map((m) => (
            <li key={m.id} className="card">
              <details>
                <summary>
                  <strong>{m.subject}</strong>
                  <span className="muted small"> · {f.shortDateTime(m.at)}</span>
                </summary>
                <pre className="mail-body" aria-label={t("mail:mailbox.plainText")}>
                  {m.body}
                </pre>
                <p>
                  <a href={`/mailbox/${m.id}/html`} target="_blank" rel="noreferrer">
                    {t("mail:mailbox.viewHtml")}
                  </a>
                </p>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
