import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { commentActionSchema } from "~/domain/comments";
import { boardIsPublic } from "~/domain/idea-actions";
import { isUuid } from "~/domain/ids";
import { getOptionalUser, requireUser } from "~/services/accounts/auth.server";
import { actOnThread, loadThreadPage, openThread } from "~/services/comments/thread.server";
import { pollCardsFor } from "~/services/polls/polls.server";
import { replyWithRefusal } from "./forms";
import { requestTranslator } from "./locale.server";
import { publicPageHeaders } from "./page-cache.server";
import { readForm } from "./read-form";
import { notFound } from "./responses";

// The pages that hold a comment thread (a project's comments, one update, one idea) share their
// loader and action: find the thread the address names, load a page of it for the viewer, and
// do what a form on it asked. A malformed slug, update or idea id or cursor is a 404, never a
// query. (An idea's page loads its thread with the idea: web/idea-pages.server.ts.)

interface ThreadAddress {
  slug: string | undefined;
  updateId: string | null;
  /** An idea's thread (updateId is then null). */
  ideaId?: string | null;
}

async function threadAt(request: Request, { slug, updateId, ideaId = null }: ThreadAddress) {
  const user = await getOptionalUser(request);
  const t = requestTranslator(request, user);
  if (
    !slug ||
    !/^[a-z0-9-]{1,80}$/.test(slug) ||
    (updateId !== null && !isUuid(updateId)) ||
    (ideaId !== null && !isUuid(ideaId))
  )
    notFound(t("public:project.notFound"));
  const db = await getDb();
  const thread = await openThread(db, { slug, updateId, ideaId, viewer: user });
  if (!thread) notFound(t("public:project.notFound"));
  return { db, user, t, thread };
}

export async function loadThreadPageData(request: Request, address: ThreadAddress) {
  const { db, user, thread, t } = await threadAt(request, address);
  const before = new URL(request.url).searchParams.get("before");
  if (before !== null && !isUuid(before)) notFound(t("public:project.notFound"));
  const page = await loadThreadPage(db, { thread, viewer: user, before });
  const { campaign: c, update } = thread;
  // An update's polls, unless the viewer cannot read the update (then neither is shown).
  const polls =
    update && !thread.locked
      ? await pollCardsFor(db, {
          campaign: { id: c.id, slug: c.slug, state: c.state, creatorId: c.creatorId },
          updateId: update.id,
          viewer: user,
          isBacker: thread.viewerIsBacker,
        })
      : [];
  return json(
    {
      campaign: {
        slug: c.slug,
        title: c.title,
        creatorName: c.creatorName,
        commentCount: c.commentCount,
        ideaCount: boardIsPublic(c) ? c.ideaCount : null,
        language: c.language,
      },
      update: update ? { ...update, createdAt: update.createdAt.toISOString(), locked: thread.locked } : null,
      path: thread.path,
      permission: thread.locked ? ("lockedUpdate" as const) : thread.permission,
      comments: page.comments,
      nextBefore: page.nextBefore,
      polls,
    },
    { headers: publicPageHeaders(user) },
  );
}

export async function actOnThreadPage(request: Request, address: ThreadAddress) {
  const { db, thread } = await threadAt(request, address);
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const submission = parseWithZod(await readForm(request), { schema: commentActionSchema(t) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await actOnThread(db, { thread, user, action: submission.value, t });
  if (!result.ok) {
    const headers: HeadersInit =
      "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return replyWithRefusal(submission, result, { headers });
  }
  const anchor = result.intent === "delete" ? "" : `#comment-${result.commentId}`;
  return redirect(`${thread.path}?done=${result.intent}${anchor}`, 303);
}
