import { createRemixStub } from "@remix-run/testing";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";

/**
 * A route's page rendered to HTML on the server, from the data its loader answered: what a
 * visitor's browser receives first (used to prove user text is rendered inert).
 */
export function renderRoute(
  { path, url, Component, data }: { path: string; url: string; Component: () => JSX.Element; data: unknown },
  locale: Locale = "en",
): string {
  const Stub = createRemixStub([{ id: "page", path, Component, loader: () => data as object }]);
  // The router's layout effects do nothing on the server, and React says so; that is expected here.
  const error = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    error(...args);
  };
  try {
    return renderToString(
      <I18nextProvider i18n={i18nFor(locale)}>
        <Stub initialEntries={[url]} hydrationData={{ loaderData: { page: data } }} />
      </I18nextProvider>,
    );
  } finally {
    console.error = error;
  }
}
