import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The statuses with a title of their own in the catalogue (errors:title.<status>). */
const TITLED = new Set([400, 403, 404, 405, 413, 429]);

/** One place renders every error: expected 4xx responses with their message, anything else calmly. */
export function GeneralErrorBoundary() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const title = TITLED.has(error.status)
      ? t(`errors:title.${error.status}`)
      : t(error.status >= 500 ? "errors:title.server" : "errors:title.other");
    const detail = typeof error.data === "string" && error.data && error.status < 500 ? error.data : undefined;
    return <ErrorPanel status={error.status} title={title} detail={detail} />;
  }
  return <ErrorPanel status={500} title={t("errors:title.server")} detail={t("errors:serverDetail")} />;
}

export function ErrorPanel({ status, title, detail }: { status: number; title: string; detail?: string }) {
  const { t } = useTranslation();
  return (
    <section className="container narrow error-panel" aria-labelledby="error-title">
      <p className="error-status">{t("errors:status", { status })}</p>
      <h1 id="error-title">{title}</h1>
      {detail && detail !== "Not found" ? <p className="lead">{detail}</p> : null}
      {status === 404 ? <p className="muted">{t("errors:notFoundHint")}</p> : null}
      <p>
        <Link to="/" className="button button-primary">
          {t("errors:backHome")}
        </Link>
      </p>
    </section>
  );
}
