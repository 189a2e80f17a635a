import type { MetaFunction } from "@remix-run/node";
import { ErrorPanel } from "~/components/error-boundary";

export const meta: MetaFunction = () => [{ title: "Page not found · Colecta" }];

// Any URL no other route claims: a real 404 status with the shared error page.
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return <ErrorPanel status={404} title="We couldn't find that page" />;
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
