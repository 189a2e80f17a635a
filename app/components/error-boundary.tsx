import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const TITLES: Record<number, string> = {
  400: "That request could not be understood",
  403: "You can't do that",
  404: "We couldn't find that page",
  405: "That isn't allowed here",
  413: "That upload is too large",
  429: "Slow down a moment",
};

/** One place renders every error: expected 4xx responses with their message, anything else calmly. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const title =
      TITLES[error.status] ?? (error.status >= 500 ? "Something went wrong on our side" : "Something isn't right");
    const detail = typeof error.data === "string" && error.data && error.status < 500 ? error.data : undefined;
    return <ErrorPanel status={error.status} title={title} detail={detail} />;
  }
  return (
    <ErrorPanel
      status={500}
      title="Something went wrong on our side"
      detail="The error has been logged. Nothing you submitted was charged twice; please try again in a moment."
    />
  );
}

export function ErrorPanel({ status, title, detail }: { status: number; title: string; detail?: string }) {
  return (
    <section className="container narrow error-panel" aria-labelledby="error-title">
      <p className="error-status">Error {status}</p>
      <h1 id="error-title">{title}</h1>
      {detail && detail !== "Not found" ? <p className="lead">{detail}</p> : null}
      {status === 404 ? <p className="muted">The link may be broken, or the page may have moved.</p> : null}
      <p>
        <Link to="/" className="button button-primary">
          Back to the home page
        </Link>
      </p>
    </section>
  );
}
