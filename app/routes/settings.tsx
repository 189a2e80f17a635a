import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SettingsNav } from "~/components/account-ui";
import { requireUser } from "~/services/accounts/auth.server";
import accountStyles from "~/styles/account.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: accountStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

/** The settings area: a nav of every settings page beside the page itself. */
export default function SettingsLayout() {
  return (
    <div className="container settings-layout">
      <SettingsNav />
      <div className="settings-page">
        <Outlet />
      </div>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
