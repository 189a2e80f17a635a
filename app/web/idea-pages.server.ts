import { parseWithZod } from "@conform-to/zod/v4";
import { json, redirect } from "@remix-run/node";
import { getDb } from "~/db.server";
import { boardQuery } from "~/domain/crowd";
import { ideaActionSchema, ideaIdSchema, isIdeaIntent, type IdeaAction, type IdeaIntent } from "~/domain/idea-actions";
import { isUuid } from "~/domain/ids";
import type { Translate } from "~/domain/locale";
import { refuse } from "~/domain/refusal";
import { answerOptions, findIdea, listBoardPage } from "~/models/idea.server";
import type { SessionUser } from "~/models/user.server";
import { getOptionalUser, requireUser } from "~/services/accounts/auth.server";
import { loadThreadPage, openThread } from "~/services/comments/thread.server";
import { actOnBoard, openBoard, type Board } from "~/services/ideas/board.server";
import { actOnThreadPage } from "./comment-pages.server";
import { replyWithRefusal } from "./forms";
import { requestTranslator } from "./locale.server";
import { publicPageHeaders } from "./page-cache.server";
import { readForm } from "./read-form";
import { notFound } from "./responses";

// The two pages of an Ideas board: the board (sorted, filtered, searched, with the form to post
// an idea and a vote button per idea) and one idea (its text, status, history and thank-you,
// the creator's answer form, and its comment thread). Both POST to themselves, so every form
// works without JavaScript. A malformed slug, idea id or cursor is a 404, never a query.

const SLUG = /^[a-z0-9-]{1,80}$/;

async function boardAt(request: Request, slug: string | undefined) {
  const user = await getOptionalUser(request);
  const t = requestTranslator(request, user);
  if (!slug || !SLUG.test(slug)) notFound(t("ideas:notFound"));
  const db = await getDb();
  const board = await openBoard(db, { slug, viewer: user });
  if (!board) notFound(t("ideas:notFound"));
  return { db, user, t, board };
}

function campaignData(board: Board) {
  const c = board.campaign;
  return {
    slug: c.slug,
    title: c.title,
    creatorName: c.creatorName,
    language: c.language,
    state: c.state,
    commentCount: c.commentCount,
    ideasEnabled: c.ideasEnabled,
    ideaPolicy: c.ideaPolicy,
    ideaCount: c.ideaCount,
    ideasAdoptedCount: c.ideasAdoptedCount,
  };
}

export async function loadBoardPageData(request: Request, { slug }: { slug: string | undefined }) {
  const { db, user, board } = await boardAt(request, slug);
  const query = boardQuery(new URL(request.url).searchParams);
  const page = await listBoardPage(db, { campaignId: board.campaign.id, viewerId: user?.id ?? null, ...query });
  return json(
    {
      campaign: campaignData(board),
      path: board.path,
      permission: board.permission,
      viewerIsCreator: board.viewerIsCreator,
      query,
      total: page.total,
      hasNext: page.hasNext,
      ideas: page.ideas.map((i) => ({ ...i, createdAt: i.createdAt.toISOString() })),
    },
    { headers: publicPageHeaders(user) },
  );
}

/** Reads the form of an idea intent, or answers why it cannot be done. */
async function readIdeaForm(request: Request, t: Translate) {
  const form = await readForm(request);
  const intent = form.get("intent");
  if (!isIdeaIntent(intent)) return { refused: replyWithRefusal(null, refuse(400, t("ideas:refusal.unknownAction"))) };
  const submission = parseWithZod(form, { schema: ideaActionSchema(t, intent) });
  if (submission.status !== "success") return { refused: json(submission.reply(), { status: 400 }) };
  return { form, submission, action: submission.value as IdeaAction };
}

async function act(
  request: Request,
  {
    board,
    user,
    t,
    ideaId,
    action,
  }: { board: Board; user: SessionUser; t: Translate; ideaId: string | null; action: IdeaAction },
  submission: Parameters<typeof replyWithRefusal>[0],
) {
  const db = await getDb();
  const result = await actOnBoard(db, { board, user, ideaId, action, t });
  if (result.ok) return { done: result };
  const headers: HeadersInit = "retryAfterSeconds" in result ? { "Retry-After": String(result.retryAfterSeconds) } : {};
  return { refused: replyWithRefusal(submission, result, { headers }) };
}

/** The board's own forms: a new idea, and a vote or its withdrawal from the list. */
export async function actOnBoardPage(request: Request, { slug }: { slug: string | undefined }) {
  const { board } = await boardAt(request, slug);
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const read = await readIdeaForm(request, t);
  if (read.refused) return read.refused;
  const { form, submission, action } = read;
  const onBoard: readonly IdeaIntent[] = ["post", "vote", "unvote"];
  if (!onBoard.includes(action.intent))
    return replyWithRefusal(submission, refuse(400, t("ideas:refusal.unknownAction")));
  let ideaId: string | null = null;
  if (action.intent !== "post") {
    const named = ideaIdSchema(t).safeParse({ ideaId: form.get("ideaId") });
    if (!named.success) return replyWithRefusal(submission, refuse(404, t("ideas:refusal.notFound")));
    ideaId = named.data.ideaId;
  }
  const acted = await act(request, { board, user, t, ideaId, action }, submission);
  if (!acted.done) return acted.refused;
  const result = acted.done;
  // "newIdea", not "post": the idea page's comment thread confirms its own "post".
  if (result.intent === "post") return redirect(`${board.path}/${result.ideaId}?done=newIdea`, 303);
  // Back to the same view of the board (sort, filter, search, page), at the idea voted on.
  const back = new URL(request.url).searchParams;
  back.delete("index");
  const search = back.toString();
  return redirect(`${board.path}${search ? `?${search}` : ""}#idea-${result.ideaId}`, 303);
}

async function ideaAt(request: Request, address: { slug: string | undefined; ideaId: string | undefined }) {
  const found = await boardAt(request, address.slug);
  if (!isUuid(address.ideaId)) notFound(found.t("ideas:notFound"));
  return { ...found, ideaId: address.ideaId };
}

export async function loadIdeaPageData(
  request: Request,
  address: { slug: string | undefined; ideaId: string | undefined },
) {
  const { db, user, t, board, ideaId } = await ideaAt(request, address);
  const before = new URL(request.url).searchParams.get("before");
  if (before !== null && !isUuid(before)) notFound(t("ideas:notFound"));
  const idea = await findIdea(db, {
    ideaId,
    campaignId: board.campaign.id,
    viewerId: user?.id ?? null,
    includeHidden: board.viewerIsCreator,
  });
  if (!idea) notFound(t("ideas:notFound"));
  const thread = await openThread(db, { slug: board.campaign.slug, updateId: null, ideaId, viewer: user });
  if (!thread) notFound(t("ideas:notFound"));
  const [page, options] = await Promise.all([
    loadThreadPage(db, { thread, viewer: user, before }),
    board.viewerIsCreator ? answerOptions(db, { campaignId: board.campaign.id, authorId: idea.authorId }) : null,
  ]);
  const { authorId, ...shown } = idea;
  const mine = user?.id === authorId;
  const participant = Boolean(user) && !user?.suspended;
  return json(
    {
      campaign: campaignData(board),
      boardPath: board.path,
      path: thread.path,
      permission: board.permission,
      idea: {
        ...shown,
        createdAt: idea.createdAt.toISOString(),
        statusChangedAt: idea.statusChangedAt?.toISOString() ?? null,
        history: idea.history.map((h) => ({ ...h, at: h.at.toISOString() })),
      },
      may: {
        vote: board.permission === "ok" && idea.visibility === "visible",
        answer: participant && board.viewerIsCreator,
        delete: participant && mine,
        report: participant && !mine && idea.visibility === "visible",
      },
      answering: options,
      thread: { permission: thread.permission, comments: page.comments, nextBefore: page.nextBefore },
    },
    { headers: publicPageHeaders(user) },
  );
}

/**
 * The idea page's forms: the idea's own (vote, answer, hide, show, delete) are done here; the
 * thread's (post, reply, edit, and a comment's delete, hide and show) go to the comment pages'
 * action. The two sets of intents do not overlap.
 */
export async function actOnIdeaPage(
  request: Request,
  address: { slug: string | undefined; ideaId: string | undefined },
) {
  const { board, ideaId } = await ideaAt(request, address);
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const peek = await readForm(request.clone());
  if (!isIdeaIntent(peek.get("intent")) || peek.get("intent") === "post")
    return actOnThreadPage(request, { slug: address.slug, updateId: null, ideaId });
  const read = await readIdeaForm(request, t);
  if (read.refused) return read.refused;
  const acted = await act(request, { board, user, t, ideaId, action: read.action }, read.submission);
  if (!acted.done) return acted.refused;
  const result = acted.done;
  if (result.intent === "deleteIdea") return redirect(`${board.path}?done=deleteIdea`, 303);
  return redirect(`${board.path}/${ideaId}?done=${result.intent}`, 303);
}
