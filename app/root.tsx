import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { VerifyBanner } from "./components/account-ui";
import { GeneralErrorBoundary } from "./components/error-boundary";
import { useNonce } from "./components/nonce";
import { SiteFooter, SiteHeader } from "./components/site-chrome";
import { getConfig } from "./config.server";
import { isUuid } from "./domain/ids";
import { DEFAULT_LOCALE } from "./domain/locale";
import { i18nFor, metaTranslator } from "./i18n";
import { getDb } from "./db.server";
import { countUnreadMessages } from "./models/message.server";
import { getOptionalUser } from "./services/accounts/auth.server";
import stylesheet from "./styles/app.css";
import { requestLocale } from "./web/locale.server";

export const links: LinksFunction = () => [
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesheet },
];

export const meta: MetaFunction = ({ matches }) => {
  const t = metaTranslator(matches);
  return [{ title: t("common:meta.title") }, { name: "description", content: t("common:meta.description") }];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  // The header's "Messages (n)": one indexed count, only for someone signed in (an anonymous,
  // publicly cached page has no user and so nothing personal).
  const reading = /^\/messages\/([^/]+)$/.exec(new URL(request.url).pathname)?.[1];
  const unreadMessages = user
    ? await countUnreadMessages(await getDb(), user.id, { reading: isUuid(reading) ? reading : undefined })
    : 0;
  return json({
    user: user
      ? { name: user.name, email: user.email, roles: user.roles, emailVerified: user.emailVerified, unreadMessages }
      : null,
    demoMode: getConfig().demoMode,
    // The page's language, chosen once here; the browser renders with the same one (see Layout).
    locale: requestLocale(request, user),
  });
}

/** Reading or writing a message changes the header's unread count: those pages refresh it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ defaultShouldRevalidate, currentUrl, nextUrl }) =>
  defaultShouldRevalidate || nextUrl.pathname.startsWith("/messages") || currentUrl.pathname.startsWith("/messages");

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const i18n = i18nFor(locale);
  // No nonce on a cached public page (its scripts are allowed by hash) nor in the browser.
  const nonce = useNonce() || undefined;
  // Marks the document once React has hydrated and event handlers are attached (browser tests wait for it).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#0b5d4b" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <a className="skip-link" href="#main">
            {i18n.t("common:skipLink")}
          </a>
          <SiteHeader user={data?.user ?? null} demoMode={data?.demoMode ?? false} locale={locale} />
          {data?.user && !data.user.emailVerified ? <VerifyBanner email={data.user.email} /> : null}
          <main id="main" className="site-main">
            {children}
          </main>
          <SiteFooter />
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
