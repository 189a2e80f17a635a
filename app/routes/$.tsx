import type { MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { ErrorPanel } from "~/components/error-boundary";
import { metaTranslator } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("errors:notFoundMeta") }];

// Any URL no other route claims: a real 404 status with the shared error page.
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  const { t } = useTranslation();
  return <ErrorPanel status={404} title={t("errors:title.404")} />;
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
