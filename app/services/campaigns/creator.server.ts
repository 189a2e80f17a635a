import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { getDb } from "../../db.server";
import { COVER_MAX_BYTES } from "../../domain/campaign-form";
import { isUuid } from "../../domain/ids";
import type { Translate } from "../../domain/locale";
import { translatorFor } from "../../i18n";
import { getCampaignForCreator, type CreatorActor } from "../../models/campaign.server";
import { clientIp } from "../../web/context";
import { requestTranslator } from "../../web/locale.server";
import { readForm } from "../../web/read-form";
import { notFound } from "../../web/responses";
import { requireUser } from "../accounts/auth.server";
import { sniffImage, storeImage } from "../images.server";

// What every creator page does first: who is asking, and is this campaign theirs.

// Messages are worded in the caller's language (the request's); English when none is given.
const english: Translate = translatorFor("en");

export async function requireCreator(request: Request, context?: { clientIp?: string }) {
  const user = await requireUser(request);
  const actor: CreatorActor = {
    userId: user.id,
    staff: user.roles.includes("admin") || user.roles.includes("finance"),
    ip: clientIp(context),
  };
  return { user, actor };
}

/**
 * The signed-in creator and their campaign from the URL. Another person's campaign, a deleted
 * one and a malformed id all answer 404 (the ownership check is in the query), in the request's
 * language.
 */
type Params = Record<string, string | undefined>;

export async function requireCreatorCampaign(request: Request, params: Params, context?: { clientIp?: string }) {
  const { user, actor } = await requireCreator(request, context);
  const t = requestTranslator(request, user);
  if (!isUuid(params.id)) notFound(t("creator:common.campaignNotFound"));
  const campaign = await getCampaignForCreator(await getDb(), {
    campaignId: params.id,
    userId: actor.userId,
    staff: actor.staff,
  });
  if (!campaign) notFound(t("creator:common.campaignNotFound"));
  return { user, actor, campaign };
}

export function requireTierId(params: Params, t: Translate = english): string {
  if (!isUuid(params.tierId)) notFound(t("campaignForm:refusal.tierNotFound"));
  return params.tierId;
}

export type CoverUpload = { kind: "none" } | { kind: "too_large" } | { kind: "file"; bytes: Uint8Array };

/** The largest upload drained (and answered with a message) rather than cut off with an error. */
const DRAIN_LIMIT = 25_000_000;

/**
 * Reads the campaign form, which carries the cover image. An oversized cover does not fail the
 * whole form: the other fields are kept and the cover gets a message. Any body that cannot be
 * read is a 400 (worded with `t`).
 */
export async function readCampaignForm(
  request: Request,
  t: Translate = english,
): Promise<{ form: FormData; cover: CoverUpload }> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) return { form: await readForm(request), cover: { kind: "none" } };
  let cover: CoverUpload = { kind: "none" };
  const coverHandler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== "cover" || typeof filename !== "string") return undefined;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > DRAIN_LIMIT) throw new MaxPartSizeExceededError(name, COVER_MAX_BYTES);
      if (size <= COVER_MAX_BYTES) chunks.push(chunk);
    }
    if (size > COVER_MAX_BYTES) cover = { kind: "too_large" };
    else if (size > 0) cover = { kind: "file", bytes: Buffer.concat(chunks) };
    return "";
  };
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(
        coverHandler,
        unstable_createMemoryUploadHandler({ maxPartSize: COVER_MAX_BYTES }),
      ),
    );
    return { form, cover };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError && error.field === "cover")
      return { form: new FormData(), cover: { kind: "too_large" } };
    throw new Response(t("campaignForm:refusal.unreadableForm"), {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

/** Why an uploaded cover can't be used, checked by content before anything is stored. */
export function coverProblem(cover: CoverUpload, t: Translate = english): string | undefined {
  if (cover.kind === "too_large") return t("campaignForm:image.tooLarge");
  if (cover.kind === "file" && !sniffImage(cover.bytes)) return t("campaignForm:image.notImage");
  return undefined;
}

/** Stores an uploaded cover; the message (worded with `t`) is for the cover field. */
export async function storeCover(
  actor: CreatorActor,
  cover: CoverUpload,
  t: Translate = english,
): Promise<{ imageId: string | null; error?: string }> {
  if (cover.kind === "none") return { imageId: null };
  if (cover.kind === "too_large") return { imageId: null, error: t("campaignForm:image.tooLarge") };
  const stored = await storeImage(await getDb(), { ownerId: actor.userId, bytes: cover.bytes, t });
  return stored.ok ? { imageId: stored.imageId } : { imageId: null, error: stored.message };
}
