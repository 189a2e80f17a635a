import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { FinanceNav } from "~/components/finance/finance-ui";
import { requireRole } from "~/services/accounts/auth.server";
import styles from "~/styles/finance.css";

// The finance desk: its stylesheet and navigation. Every page below checks the role itself too
// (loaders run in parallel), so anyone without it gets 404 everywhere.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return null;
}

export default function FinanceLayout() {
  return (
    <div className="container fin">
      <FinanceNav />
      <Outlet />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
