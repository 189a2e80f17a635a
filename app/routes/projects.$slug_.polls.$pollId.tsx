import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PollCard, pollLinks } from "~/components/polls/poll-card";
import { getDb } from "~/db.server";
import { pollVoteSchema } from "~/domain/crowd";
import { isUuid } from "~/domain/ids";
import { metaTranslator } from "~/i18n";
import type { SessionUser } from "~/models/user.server";
import { getOptionalUser, requireUser } from "~/services/accounts/auth.server";
import { openPoll, voteInPoll } from "~/services/polls/polls.server";
import publicStyles from "~/styles/public.css";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { publicPageHeaders, publicRouteHeaders } from "~/web/page-cache.server";
import { readForm } from "~/web/read-form";
import { notFound } from "~/web/responses";
import { safeRedirect } from "~/web/safe-redirect";

// One poll on its own page: where every vote form posts (it goes back to the page it came from,
// at the poll), where a refused vote shows its message, and the address an email can link to.
// A poll asked in a backers-only update is not found by anyone who cannot read the update.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: publicStyles }, ...pollLinks];

export const headers = publicRouteHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = metaTranslator(matches);
  return [{ title: data ? t("polls:page.meta", { title: data.poll.question }) : t("polls:refusal.notFound") }];
};

/** The poll the address names, for this viewer; anything else (a malformed id too) is a 404. */
async function pollAt(request: Request, params: LoaderFunctionArgs["params"], user: SessionUser | undefined) {
  const t = requestTranslator(request, user);
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,80}$/.test(slug) || !isUuid(params.pollId)) notFound(t("polls:refusal.notFound"));
  const db = await getDb();
  const opened = await openPoll(db, { slug, pollId: params.pollId, viewer: user });
  if (!opened) notFound(t("polls:refusal.notFound"));
  return { db, t, opened };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const { opened } = await pollAt(request, params, user);
  const { campaign, poll, card } = opened;
  return json(
    {
      campaign: { slug: campaign.slug, title: campaign.title, language: campaign.language },
      poll: card,
      updateId: poll.updateId,
      path: `/projects/${campaign.slug}/polls/${poll.id}`,
    },
    { headers: publicPageHeaders(user) },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { db, t, opened } = await pollAt(request, params, user);
  const form = await readForm(request);
  const submission = parseWithZod(form, { schema: pollVoteSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await voteInPoll(db, { opened, optionId: submission.value.optionId, user, t });
  if (!result.ok) {
    const headers: HeadersInit =
      "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return replyWithRefusal(submission, result, { headers });
  }
  const { campaign, poll } = opened;
  const back = new URL(
    safeRedirect(form.get("returnTo"), `/projects/${campaign.slug}/polls/${poll.id}`),
    "http://colecta.invalid",
  );
  back.searchParams.set("voted", poll.id);
  back.searchParams.set("vote", result.outcome);
  back.hash = `poll-${poll.id}`;
  return redirect(back.pathname + back.search + back.hash, 303);
}

export default function PollPage() {
  const data = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="container thread-page">
      <p className="muted small">
        {data.updateId ? (
          <Link to={`/projects/${data.campaign.slug}/updates/${data.updateId}`}>{t("polls:page.backToUpdate")}</Link>
        ) : (
          <Link to={`/projects/${data.campaign.slug}`}>{t("polls:page.back")}</Link>
        )}
      </p>
      <p className="muted" lang={data.campaign.language}>
        {data.campaign.title}
      </p>
      <PollCard
        poll={data.poll}
        slug={data.campaign.slug}
        returnTo={data.path}
        answer={answer ?? null}
        headingLevel={1}
      />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
