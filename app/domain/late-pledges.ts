import { z } from "zod";
import type { CampaignState, CurrencyCode } from "../../db/schema.js";
import { toLocalInputValue } from "./form-text";
import type { Locale, Translate } from "./locale";
import { formatMoney, formatNumber, parseAmount } from "./money";

// Late pledges: after a campaign is funded, its creator may keep taking pledges, charged at once,
// until a closing date, for the tiers they choose at a late price (never under the tier's
// minimum) and within a late limit. Pure: the creator's form and the rules it keeps.

/** How long after today late pledges may stay open. */
export const LATE_PLEDGES_MAX_DAYS = 180;
const LATE_LIMIT_MAX = 1_000_000;

/** Whether a campaign takes late pledges now. */
export function latePledgesOpen(
  campaign: { state: CampaignState; late_pledges_until: Date | string | null },
  now: Date = new Date(),
): boolean {
  if (campaign.state !== "funded" || !campaign.late_pledges_until) return false;
  return new Date(campaign.late_pledges_until).getTime() > now.getTime();
}

export const latePriceField = (tierId: string) => `price_${tierId}`;
export const lateLimitField = (tierId: string) => `limit_${tierId}`;

export interface LateTier {
  id: string;
  title: string;
  minimum_amount: number;
  late_claimed_count: number;
}

export interface LatePledgeSettings {
  /** The last day late pledges are taken (they close at its end, UTC). */
  until: Date;
  tiers: { tierId: string; latePrice: number; lateLimit: number | null }[];
}

/**
 * The creator's late-pledge form: a closing day (from tomorrow, at most LATE_PLEDGES_MAX_DAYS
 * ahead) and, per tier, a late price (blank: not offered late; at least the tier's minimum) and
 * an optional late limit (not under the late pledges it already took). At least one tier.
 */
export function latePledgeSchema(
  t: Translate,
  locale: Locale,
  currency: CurrencyCode,
  tiers: readonly LateTier[],
  now: Date = new Date(),
) {
  const fields: Record<string, z.ZodDefault<z.ZodString>> = {};
  for (const tier of tiers) {
    fields[latePriceField(tier.id)] = z.string().trim().max(20).default("");
    fields[lateLimitField(tier.id)] = z.string().trim().max(10).default("");
  }
  const price = (raw: string) => parseAmount(raw, currency, { locale, t });
  return z
    .object({
      until: z
        .string({ error: t("creator:late.validation.untilRequired") })
        .trim()
        .regex(/^\d{4}-\d{2}-\d{2}$/, t("creator:late.validation.untilFormat")),
      ...fields,
    })
    .superRefine((v, ctx) => {
      const day = new Date(`${v.until}T23:59:59Z`);
      const today = now.toISOString().slice(0, 10);
      const last = new Date(now.getTime() + LATE_PLEDGES_MAX_DAYS * 86_400_000).toISOString().slice(0, 10);
      if (Number.isNaN(day.getTime()) || v.until <= today)
        ctx.addIssue({ code: "custom", path: ["until"], message: t("creator:late.validation.untilFuture") });
      else if (v.until > last)
        ctx.addIssue({
          code: "custom",
          path: ["until"],
          message: t("creator:late.validation.untilTooFar", { days: LATE_PLEDGES_MAX_DAYS }),
        });
      let offered = 0;
      for (const tier of tiers) {
        const raw = (v as Record<string, string>)[latePriceField(tier.id)] ?? "";
        const limitRaw = (v as Record<string, string>)[lateLimitField(tier.id)] ?? "";
        if (raw === "") {
          if (limitRaw !== "")
            ctx.addIssue({
              code: "custom",
              path: [latePriceField(tier.id)],
              message: t("creator:late.validation.priceForLimit"),
            });
          continue;
        }
        offered++;
        const parsed = price(raw);
        if (!parsed.ok) ctx.addIssue({ code: "custom", path: [latePriceField(tier.id)], message: parsed.message });
        else if (parsed.amount < tier.minimum_amount)
          ctx.addIssue({
            code: "custom",
            path: [latePriceField(tier.id)],
            message: t("creator:late.validation.belowMinimum", {
              minimum: formatMoney(tier.minimum_amount, currency, { locale }),
            }),
          });
        if (limitRaw !== "") {
          const n = Number(limitRaw);
          if (!/^\d+$/.test(limitRaw) || n < 1 || n > LATE_LIMIT_MAX)
            ctx.addIssue({
              code: "custom",
              path: [lateLimitField(tier.id)],
              message: t("creator:late.validation.limit", { max: formatNumber(LATE_LIMIT_MAX, locale) }),
            });
          else if (n < tier.late_claimed_count)
            ctx.addIssue({
              code: "custom",
              path: [lateLimitField(tier.id)],
              message: t("creator:late.validation.limitBelowTaken", { count: tier.late_claimed_count }),
            });
        }
      }
      if (offered === 0) ctx.addIssue({ code: "custom", path: [], message: t("creator:late.validation.noTier") });
    })
    .transform((v): LatePledgeSettings => ({
      until: new Date(`${v.until}T23:59:59Z`),
      tiers: tiers.flatMap((tier) => {
        const raw = (v as Record<string, string>)[latePriceField(tier.id)] ?? "";
        if (raw === "") return [];
        const limitRaw = (v as Record<string, string>)[lateLimitField(tier.id)] ?? "";
        return [
          {
            tierId: tier.id,
            latePrice: (price(raw) as { ok: true; amount: number }).amount,
            lateLimit: limitRaw === "" ? null : Number(limitRaw),
          },
        ];
      }),
    }));
}

/** The form's values from what is saved (amounts with the reader's decimal mark). */
export function latePledgeFormValues(
  campaign: { late_pledges_until: Date | null },
  tiers: readonly { id: string; late_price: number | null; late_limit: number | null }[],
  currency: CurrencyCode,
  locale: Locale,
): Record<string, string> {
  const values: Record<string, string> = {
    until: campaign.late_pledges_until ? campaign.late_pledges_until.toISOString().slice(0, 10) : "",
  };
  for (const tier of tiers) {
    values[latePriceField(tier.id)] =
      tier.late_price === null ? "" : toLocalInputValue(Number(tier.late_price), currency, locale);
    values[lateLimitField(tier.id)] = tier.late_limit === null ? "" : String(tier.late_limit);
  }
  return values;
}
