import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { formatShortDateTime } from "~/domain/time";
import { listEmailsFor } from "~/models/outbox.server";
import { requireUser } from "~/services/accounts/auth.server";
import { notFound } from "~/web/responses";
import styles from "~/styles/pledges.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "Mailbox · Colecta" }];

// Demo mode has no mail server: the emails Colecta queued for you are shown here instead.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!getConfig().demoMode) notFound();
  const user = await requireUser(request);
  const emails = await listEmailsFor(await getDb(), { toEmail: user.email, limit: 100 });
  return json({
    email: user.email,
    emails: emails.map((e) => ({
      id: e.id,
      subject: e.subject,
      body: e.body_text,
      at: e.created_at.toISOString(),
      kind: e.kind,
    })),
  });
}

export default function Mailbox() {
  const { email, emails } = useLoaderData<typeof loader>();
  return (
    <div className="container narrow">
      <h1>Mailbox</h1>
      <p className="muted">Demo mode: emails sent to {email} appear here instead of going out.</p>
      {emails.length === 0 ? (
        <div className="card empty-state">
          <p>No emails yet.</p>
        </div>
      ) : (
        <ul className="mail-list">
          {emails.map((m) => (
            <li key={m.id} className="card">
              <details>
                <summary>
                  <strong>{m.subject}</strong>
                  <span className="muted small"> · {formatShortDateTime(m.at)}</span>
                </summary>
                <pre className="mail-body">{m.body}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
