import type { LinksFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import styles from "~/styles/creator.css";

// The creator area: its stylesheet, shared by every page under /creator.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export default function CreatorLayout() {
  return <Outlet />;
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
