import { Link, NavLink, useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";

// The account area's shared pieces: the settings nav, a refused link's page, the banner.

export const SETTINGS_PAGES = [
  { to: "/settings", key: "profile", end: true },
  { to: "/settings/email", key: "email" },
  { to: "/settings/password", key: "password" },
  { to: "/settings/sessions", key: "sessions" },
  { to: "/settings/notifications", key: "notifications" },
  { to: "/settings/two-factor", key: "twoFactor" },
  { to: "/settings/delete", key: "delete" },
] as const;

export function SettingsNav() {
  const { t } = useTranslation();
  return (
    <nav className="settings-nav" aria-labelledby="settings-nav-title">
      <h2 id="settings-nav-title">{t("account:nav.label")}</h2>
      <ul>
        {SETTINGS_PAGES.map((page) => (
          <li key={page.key}>
            <NavLink to={page.to} end={"end" in page ? page.end : false}>
              {t(`account:nav.${page.key}`)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type LinkProblemKind = "invalid" | "expired" | "used" | "taken";

/** Why an emailed link was refused, and where to ask for a new one. */
export function LinkProblem({
  problem,
  askHref,
  askLabel,
}: {
  problem: LinkProblemKind;
  askHref: string;
  askLabel: string;
}) {
  const { t } = useTranslation();
  return (
    <section className="auth-card" aria-labelledby="link-problem-title">
      <h1 id="link-problem-title">{t(`account:link.${problem}.title`)}</h1>
      <p className="muted">{t(`account:link.${problem}.body`)}</p>
      <p>
        <Link to={askHref} className="button button-primary">
          {askLabel}
        </Link>
      </p>
    </section>
  );
}

/** "Confirm your email" with a resend button, on every page until the address is verified. */
export function VerifyBanner({ email }: { email: string }) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ sent?: boolean; error?: Record<string, string[]> }>();
  const sent = fetcher.data?.sent === true;
  const refused = fetcher.data?.error?.[""]?.[0];
  return (
    <div className="verify-banner" role="status">
      <div className="container">
        <span>{sent ? t("account:verify.resent", { email }) : (refused ?? t("account:verify.banner", { email }))}</span>
        {sent ? null : (
          <fetcher.Form method="post" action="/verify-email">
            <input type="hidden" name="intent" value="resend" />
            <button type="submit" className="button button-ghost" disabled={fetcher.state !== "idle"}>
              {fetcher.state !== "idle" ? t("account:verify.resending") : t("account:verify.resend")}
            </button>
          </fetcher.Form>
        )}
      </div>
    </div>
  );
}
