import { countryOptions } from "../../domain/address";
import { isUuid } from "../../domain/ids";
import type { Locale, Translate } from "../../domain/locale";
import { questionsFor } from "../../domain/survey";
import type { openBuilder } from "./builder.server";
import { formQuestions } from "./answer-form.server";

// The builder page's data, as plain values: the questions with the tiers they are for in words,
// the question being edited, the preview as a backer of the chosen tier, and who answered.

type Builder = NonNullable<Awaited<ReturnType<typeof openBuilder>>>;

export function builderPageOf(
  builder: Builder,
  {
    t,
    locale,
    editId,
    previewTier,
  }: { t: Translate; locale: Locale; editId: string | null; previewTier: string | null },
) {
  const { campaign, survey, questions, tiers, progress, counts } = builder;
  const tierTitle = new Map(tiers.map((tier) => [tier.id, tier.title]));
  const editing = isUuid(editId) ? (questions.find((q) => q.id === editId) ?? null) : null;
  const previewOf = (tier: { id: string; title: string; ships: boolean } | null) => {
    const shown = formQuestions(questionsFor(questions, tier));
    return {
      tierId: tier?.id ?? "none",
      tierTitle: tier?.title ?? t("surveys:preview.noReward"),
      questions: shown,
      values: {},
      countries: shown.some((q) => q.kind === "address") ? countryOptions(locale) : [],
    };
  };
  const chosenTier = tiers.find((tier) => tier.id === previewTier);
  const preview = previewTier === "none" ? previewOf(null) : chosenTier ? previewOf(chosenTier) : null;
  return {
    campaignId: campaign.id,
    allowed: builder.allowed,
    survey: survey
      ? {
          id: survey.id,
          state: survey.state,
          lockAt: survey.lockAt?.toISOString() ?? null,
          sentAt: survey.sentAt?.toISOString() ?? null,
        }
      : null,
    locked: Boolean(survey?.lockAt && survey.lockAt.getTime() <= Date.now()),
    tiers: tiers.map((tier) => ({ id: tier.id, title: tier.title, ships: tier.ships })),
    questions: questions.map((q) => ({
      ...q,
      tiersText:
        q.kind === "address" && q.allTiers
          ? t("surveys:builder.shippingTiers")
          : q.allTiers
            ? t("surveys:builder.everyTier")
            : q.tierIds.map((id) => tierTitle.get(id) ?? "").join(", "),
    })),
    editing,
    preview,
    counts,
    progress: progress.map((p) => ({
      pledgeId: p.pledgeId,
      backerName: p.backerName,
      tierTitle: p.tierTitle,
      submittedAt: p.submittedAt?.toISOString() ?? null,
      unlockedUntil: p.unlockedUntil?.toISOString() ?? null,
      remindersSent: p.remindersSent,
    })),
  };
}
