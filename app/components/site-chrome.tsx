import { Form, Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LOCALE_NAMES, LOCALES, type Locale } from "../domain/locale";

export interface HeaderUser {
  name: string;
  email: string;
  roles: string[];
  /** Unread private messages, both as a participant and as a creator. */
  unreadMessages?: number;
}

export function Logo() {
  const { t } = useTranslation();
  return (
    <Link to="/" className="logo" aria-label={t("common:homeLink")}>
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#0b5d4b" />
        <path d="M21.5 11.2a7 7 0 1 0 0 9.6" fill="none" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" />
        <circle cx="22.4" cy="16" r="2.2" fill="#f5b83d" />
      </svg>
      <span>Colecta</span>
    </Link>
  );
}

export function SiteHeader({ user, demoMode, locale }: { user: HeaderUser | null; demoMode: boolean; locale: Locale }) {
  const { t } = useTranslation();
  const location = useLocation();
  const here = location.pathname + location.search;
  const back = here.startsWith("/login") || here.startsWith("/signup") ? undefined : here;
  const query = back && back !== "/" ? `?${new URLSearchParams({ redirectTo: back })}` : "";
  return (
    <header className="site-header">
      <div className="container header-row">
        <Logo />
        <nav aria-label={t("common:nav.label")} className="main-nav">
          <NavLink to="/discover">{t("common:nav.discover")}</NavLink>
          <NavLink to="/creator">{t("common:nav.startProject")}</NavLink>
          {user ? <NavLink to="/me/pledges">{t("common:nav.myPledges")}</NavLink> : null}
          {user ? (
            <NavLink
              to="/messages"
              aria-label={
                user.unreadMessages
                  ? t("messages:nav.messagesUnread", { count: user.unreadMessages })
                  : t("messages:nav.messages")
              }
            >
              {t("messages:nav.messages")}
              {user.unreadMessages ? (
                <span className="nav-count" aria-hidden="true">
                  {user.unreadMessages > 99 ? "99+" : user.unreadMessages}
                </span>
              ) : null}
            </NavLink>
          ) : null}
          {user && demoMode ? <NavLink to="/mailbox">{t("common:nav.mailbox")}</NavLink> : null}
          {user?.roles.includes("finance") ? <NavLink to="/finance">{t("common:nav.finance")}</NavLink> : null}
          {user?.roles.includes("moderator") ? <NavLink to="/moderation">{t("moderation:nav.label")}</NavLink> : null}
        </nav>
        <LanguageSwitch locale={locale} redirectTo={here} />
        <div className="account-nav">
          {user ? (
            <>
              {/* On a narrow screen the main navigation is hidden: messages stay one tap away. */}
              <NavLink
                to="/messages"
                className="messages-icon-link"
                aria-label={
                  user.unreadMessages
                    ? t("messages:nav.messagesUnread", { count: user.unreadMessages })
                    : t("messages:nav.messages")
                }
              >
                <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
                  <rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="1.8" />
                  <path d="m4 7 8 6 8-6" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
                </svg>
                {user.unreadMessages ? (
                  <span className="nav-count" aria-hidden="true">
                    {user.unreadMessages > 99 ? "99+" : user.unreadMessages}
                  </span>
                ) : null}
              </NavLink>
              <span className="signed-in-as" title={user.email}>
                <span className="avatar" aria-hidden="true">
                  {user.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="signed-in-name">{user.name}</span>
              </span>
              <NavLink to="/settings" className="button button-ghost">
                {t("account:headerLink")}
              </NavLink>
              <Form method="post" action="/logout">
                <button type="submit" className="button button-ghost">
                  {t("common:account.signOut")}
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to={`/login${query}`} className="button button-ghost">
                {t("common:account.signIn")}
              </Link>
              <Link to={`/signup${query}`} className="button button-primary">
                {t("common:account.signUp")}
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

/**
 * The other languages, as buttons of a plain form: it works before (or without) JavaScript, and
 * the whole page reloads in the chosen language.
 */
function LanguageSwitch({ locale, redirectTo }: { locale: Locale; redirectTo: string }) {
  const { t } = useTranslation();
  return (
    <Form
      method="post"
      action="/locale"
      reloadDocument
      className="language-switch"
      aria-label={t("common:language.label")}
    >
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {LOCALES.filter((other) => other !== locale).map((other) => (
        <button
          key={other}
          type="submit"
          name="locale"
          value={other}
          lang={other}
          className="button button-ghost"
          title={t("common:language.switchTo", { language: LOCALE_NAMES[other] })}
        >
          {LOCALE_NAMES[other]}
        </button>
      ))}
    </Form>
  );
}

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container footer-row">
        <div>
          <strong>Colecta</strong>
          <p className="muted">{t("common:footer.tagline")}</p>
        </div>
        <p className="muted small">
          {t("common:footer.payments")}
          <br />
          {t("common:footer.copyright", { year: new Date().getFullYear() })}
        </p>
      </div>
    </footer>
  );
}
