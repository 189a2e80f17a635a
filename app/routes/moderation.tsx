import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { ModerationNav } from "~/components/moderation/moderation-ui";
import { getDb } from "~/db.server";
import { countOpenReviews } from "~/models/campaign-review.server";
import { countOpenReportSubjects } from "~/models/report.server";
import { requireRole } from "~/services/accounts/auth.server";
import financeStyles from "~/styles/finance.css";
import styles from "~/styles/moderation.css";

// The moderation desk: the finance desk's look and its own navigation. Every page below checks
// the role itself too (loaders run in parallel), so anyone without it gets 404 everywhere.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: financeStyles },
  { rel: "stylesheet", href: styles },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "moderator");
  const db = await getDb();
  const [openReports, openReviews] = await Promise.all([countOpenReportSubjects(db), countOpenReviews(db)]);
  return json({ openReports, openReviews });
}

export default function ModerationLayout() {
  const counts = useLoaderData<typeof loader>();
  return (
    <div className="container fin">
      <ModerationNav {...counts} />
      <Outlet />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
