import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { z } from "zod";
import { categoryLabel, currencyName } from "~/domain/campaign-labels";
import { CATEGORIES } from "~/domain/catalog";
import {
  BLURB_MAX,
  campaignDraftSchema,
  campaignLiveSchema,
  COVER_ALT_MAX,
  slugify,
  STORY_MIN,
  TITLE_MAX,
} from "~/domain/campaign-form";
import {
  collectionLabel,
  collectionOptions,
  DURATION_MAX_DAYS,
  fundingModelLabel,
  fundingModelOptions,
} from "~/domain/campaign-terms";
import { CURRENCY_CODES } from "~/domain/money";
import { CampaignLanguageSelect } from "./campaign-language";
import { AdornedField, Field, FieldError, FormError, RadioCards, Select, TextArea } from "./fields";
import { useLocale } from "./locale";

/** The terms fixed at launch, shown on a live campaign's form (goal and deadline already formatted). */
export interface FixedTerms {
  goal: string;
  deadline: string;
  fundingModel: "all_or_nothing" | "flexible";
  collection: "at_deadline" | "immediate";
  slug: string;
}

/** The form's fields: a draft has all of them, a live campaign only its words and its cover. */
type CampaignFields = z.input<ReturnType<typeof campaignDraftSchema>> & { cover?: File };

/**
 * The campaign form: every field for a draft; after launch, only what may still change, with the
 * fixed terms shown (not editable) and why.
 */
export function CampaignForm({
  mode,
  defaultValue,
  lastResult,
  coverUrl,
  fixed,
  submitLabel,
}: {
  mode: "new" | "draft" | "live";
  defaultValue: Record<string, string>;
  lastResult?: SubmissionResult | null;
  coverUrl?: string | null;
  fixed?: FixedTerms;
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const schema = useMemo(
    () => (mode === "live" ? campaignLiveSchema(t, locale) : campaignDraftSchema(t, locale)),
    [mode, t, locale],
  );
  const [form, fields] = useForm<CampaignFields, unknown>({
    defaultValue,
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const [title, setTitle] = useState(fields.title.initialValue ?? "");
  const submitting = useNavigation().state === "submitting";
  const fieldsNeedAttention = Object.keys(form.allErrors).some((name) => name !== "");

  return (
    <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="campaign-form">
      <FormError errors={form.errors} />
      {fieldsNeedAttention && !form.errors ? (
        <div className="form-error" role="alert">
          {t("campaignForm:form.attention")}
        </div>
      ) : null}

      <section className="form-section card" aria-labelledby="basics-heading">
        <div className="form-section-intro">
          <h2 id="basics-heading">{t("campaignForm:form.basicsHeading")}</h2>
          <p className="muted">{t("campaignForm:form.basicsIntro")}</p>
        </div>
        <div className="form-section-fields stack">
          <Field
            label={t("campaignForm:form.title")}
            field={fields.title}
            required
            maxLength={TITLE_MAX}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          {mode === "live" ? (
            <p className="fixed-note">
              <span className="fixed-label">{t("campaignForm:form.slug")}</span> /projects/{fixed?.slug}{" "}
              <span className="muted small">{t("campaignForm:form.slugFixed")}</span>
            </p>
          ) : (
            <AdornedField
              label={t("campaignForm:form.slug")}
              field={fields.slug}
              prefix="/projects/"
              placeholder={slugify(title) || t("campaignForm:form.slugPlaceholder")}
              hint={t("campaignForm:form.slugHint")}
              maxLength={80}
              autoCapitalize="none"
              spellCheck={false}
            />
          )}
          <Field
            label={t("campaignForm:form.blurb")}
            field={fields.blurb}
            maxLength={BLURB_MAX}
            hint={t("campaignForm:form.blurbHint", { max: BLURB_MAX })}
          />
          <Select
            label={t("campaignForm:form.category")}
            field={fields.category}
            placeholder={t("campaignForm:form.categoryPlaceholder")}
            options={CATEGORIES.map((c) => ({ value: c.slug, label: categoryLabel(t, c.slug) }))}
          />
          <CampaignLanguageSelect field={fields.language} />
        </div>
      </section>

      <section className="form-section card" aria-labelledby="story-heading">
        <div className="form-section-intro">
          <h2 id="story-heading">{t("campaignForm:form.storyHeading")}</h2>
          <p className="muted">
            <Trans t={t} i18nKey="campaignForm:form.storyIntro" components={{ code: <code /> }} />
          </p>
        </div>
        <div className="form-section-fields stack">
          <TextArea
            label={t("campaignForm:form.story")}
            field={fields.storyMd}
            rows={12}
            hint={t("campaignForm:form.storyHint", { min: STORY_MIN })}
          />
        </div>
      </section>

      <section className="form-section card" aria-labelledby="cover-heading">
        <div className="form-section-intro">
          <h2 id="cover-heading">{t("campaignForm:form.coverHeading")}</h2>
          <p className="muted">{t("campaignForm:form.coverIntro")}</p>
        </div>
        <div className="form-section-fields stack">
          {coverUrl ? (
            <figure className="cover-preview">
              <img src={coverUrl} alt={fields.coverAlt.initialValue || t("campaignForm:form.coverCurrentAlt")} />
              <figcaption className="muted small">{t("campaignForm:form.coverCurrentCaption")}</figcaption>
            </figure>
          ) : null}
          <Field
            label={coverUrl ? t("campaignForm:form.coverReplace") : t("campaignForm:form.cover")}
            field={fields.cover}
            type="file"
            accept="image/png,image/jpeg,image/webp"
          />
          <Field
            label={t("campaignForm:form.coverAlt")}
            field={fields.coverAlt}
            maxLength={COVER_ALT_MAX}
            hint={t("campaignForm:form.coverAltHint")}
          />
        </div>
      </section>

      <section className="form-section card" aria-labelledby="funding-heading">
        <div className="form-section-intro">
          <h2 id="funding-heading">{t("campaignForm:form.fundingHeading")}</h2>
          <p className="muted">
            {mode === "live" ? t("campaignForm:form.fundingIntroLive") : t("campaignForm:form.fundingIntroDraft")}
          </p>
        </div>
        {mode === "live" && fixed ? (
          <dl className="fixed-terms form-section-fields">
            <div>
              <dt>{t("campaignForm:form.fixedGoal")}</dt>
              <dd>{fixed.goal}</dd>
            </div>
            <div>
              <dt>{t("campaignForm:form.fixedEnds")}</dt>
              <dd>{fixed.deadline}</dd>
            </div>
            <div>
              <dt>{t("campaignForm:form.fixedFundingModel")}</dt>
              <dd>{fundingModelLabel(fixed.fundingModel, t)}</dd>
            </div>
            <div>
              <dt>{t("campaignForm:form.fixedCollection")}</dt>
              <dd>{collectionLabel(fixed.collection, t)}</dd>
            </div>
          </dl>
        ) : (
          <div className="form-section-fields stack">
            <div className="field-row">
              <Select
                label={t("campaignForm:form.currency")}
                field={fields.currency}
                options={CURRENCY_CODES.map((c) => ({ value: c, label: currencyName(t, c) }))}
              />
              <Field
                label={t("campaignForm:form.goal")}
                field={fields.goal}
                inputMode="decimal"
                hint={t("campaignForm:form.goalHint")}
              />
            </div>
            <fieldset
              className={
                fields.durationDays.errors || fields.endDate.errors || fields.deadlineMode.errors
                  ? "field deadline-choice field-invalid"
                  : "field deadline-choice"
              }
            >
              <legend>{t("campaignForm:form.length")}</legend>
              <p className="field-hint">{t("campaignForm:form.lengthHint", { max: DURATION_MAX_DAYS })}</p>
              <div className="deadline-options">
                <div className="deadline-option">
                  <label className="inline-radio">
                    <input
                      type="radio"
                      name={fields.deadlineMode.name}
                      value="duration"
                      defaultChecked={fields.deadlineMode.initialValue !== "date"}
                    />
                    {t("campaignForm:form.byDuration")}
                  </label>
                  <AdornedField
                    label={t("campaignForm:form.durationDays")}
                    field={fields.durationDays}
                    inputMode="numeric"
                    suffix={t("campaignForm:form.daysSuffix")}
                    defaultValue={fields.durationDays.initialValue || "30"}
                  />
                </div>
                <div className="deadline-option">
                  <label className="inline-radio">
                    <input
                      type="radio"
                      name={fields.deadlineMode.name}
                      value="date"
                      defaultChecked={fields.deadlineMode.initialValue === "date"}
                    />
                    {t("campaignForm:form.byDate")}
                  </label>
                  <Field
                    label={t("campaignForm:form.endDate")}
                    field={fields.endDate}
                    type="date"
                    hint={t("campaignForm:form.endDateHint")}
                  />
                </div>
              </div>
              <FieldError errors={fields.deadlineMode.errors} />
            </fieldset>
            <RadioCards
              legend={t("campaignForm:form.fundingModel")}
              field={fields.fundingModel}
              options={fundingModelOptions(t)}
            />
            <RadioCards
              legend={t("campaignForm:form.collection")}
              field={fields.collection}
              options={collectionOptions(t)}
            />
          </div>
        )}
      </section>

      <div className="form-actions">
        <button type="submit" className="button button-primary button-large" disabled={submitting}>
          {submitting ? t("campaignForm:form.saving") : submitLabel}
        </button>
        {mode !== "live" ? <p className="muted small">{t("campaignForm:form.changeUntilLaunch")}</p> : null}
      </div>
    </Form>
  );
}
