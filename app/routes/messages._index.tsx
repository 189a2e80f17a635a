import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/locale";
import { getDb } from "~/db.server";
import { metaTranslator } from "~/i18n";
import { listInbox } from "~/models/message.server";
import { requireUser } from "~/services/accounts/auth.server";
import styles from "~/styles/messages.css";

// The inbox: every thread the person takes part in, as the one who wrote to a campaign or as
// its creator, most recent first, with what is unread.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("messages:inbox.meta") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const threads = await listInbox(await getDb(), { viewerId: user.id });
  return json({
    threads: threads.map((th) => ({ ...th, lastMessageAt: th.lastMessageAt.toISOString() })),
    unread: threads.reduce((sum, th) => sum + th.unread, 0),
  });
}

export default function Inbox() {
  const { threads, unread } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="container messages-page">
      <header className="messages-header">
        <h1>{t("messages:inbox.title")}</h1>
        <p className="muted">{t("messages:inbox.intro")}</p>
        {threads.length > 0 ? (
          <p className={unread > 0 ? "inbox-total inbox-total-unread" : "inbox-total"} role="status">
            {unread > 0 ? t("messages:inbox.unreadTotal", { count: unread }) : t("messages:inbox.allRead")}
          </p>
        ) : null}
      </header>
      {threads.length === 0 ? (
        <p className="card muted">{t("messages:inbox.none")}</p>
      ) : (
        <ul className="thread-list" role="list">
          {threads.map((th) => (
            <li key={th.id} className={th.unread > 0 ? "thread-row thread-unread" : "thread-row"}>
              <Link to={`/messages/${th.id}`} className="thread-link">
                <span className="thread-subject">{th.subject}</span>
                <span className="thread-who muted small">
                  {th.side === "participant"
                    ? t("messages:inbox.withCreator", { name: th.otherName, campaign: th.campaignTitle })
                    : t("messages:inbox.withParticipant", { name: th.otherName, campaign: th.campaignTitle })}
                </span>
              </Link>
              <span className="thread-meta small">
                {th.side === "creator" ? (
                  <span className="thread-chips">
                    {th.participantBacks ? <span className="backer-chip">{t("messages:thread.backer")}</span> : null}
                    <span className="side-chip">{t("messages:inbox.yourProject")}</span>
                  </span>
                ) : null}
                <time dateTime={th.lastMessageAt} className="muted">
                  {f.shortDateTime(th.lastMessageAt)}
                </time>
                {th.unread > 0 ? (
                  <span className="unread-count">{t("messages:inbox.unread", { count: th.unread })}</span>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
