import type { Collection, FundingModel } from "../../db/schema.js";
import type { Locale, Translate } from "./locale";
import { formatDate } from "./time";

/**
 * The one sentence that tells a backer when, and whether, they will be charged. Every page that
 * explains a campaign's terms (project page, pledge form, emails) uses this wording. Given `t`
 * (and the `locale` its date is written in) it speaks the reader's language; English otherwise.
 */
export function chargeSentence({
  fundingModel,
  collection,
  deadline,
  t,
  locale,
}: {
  fundingModel: FundingModel;
  collection: Collection;
  deadline: Date | string;
  t?: Translate;
  locale?: Locale;
}): string {
  const on = formatDate(deadline, "UTC", locale);
  if (t) {
    if (collection === "at_deadline")
      return fundingModel === "all_or_nothing"
        ? t("public:charge.atDeadlineAllOrNothing", { date: on })
        : t("public:charge.atDeadlineFlexible", { date: on });
    return fundingModel === "all_or_nothing"
      ? t("public:charge.immediateAllOrNothing", { date: on })
      : t("public:charge.immediateFlexible");
  }
  if (collection === "at_deadline") {
    return fundingModel === "all_or_nothing"
      ? `You'll be charged only if this project reaches its goal, on ${on}.`
      : `You'll be charged on ${on}, whether or not the goal is met.`;
  }
  return fundingModel === "all_or_nothing"
    ? `You'll be charged now; refunded automatically if the goal isn't met by ${on}.`
    : "You'll be charged now; the creator keeps all pledges.";
}

/** Short names for the two funding models, as shown beside a campaign's goal. */
export function fundingModelName(model: FundingModel, t?: Translate): string {
  if (t) return model === "all_or_nothing" ? t("public:fundingModel.allOrNothing") : t("public:fundingModel.flexible");
  return model === "all_or_nothing" ? "All or nothing" : "Flexible funding";
}

/** Percent of the goal pledged, rounded down (99.6% is not yet 100%). */
export function percentFunded(pledged: number, goal: number): number {
  if (!(goal > 0)) return 0;
  return Math.floor((pledged * 100) / goal);
}
