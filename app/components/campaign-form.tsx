import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { z } from "zod";
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
  COLLECTIONS,
  collectionLabel,
  DURATION_MAX_DAYS,
  FUNDING_MODELS,
  fundingModelLabel,
} from "~/domain/campaign-terms";
import { CURRENCIES, CURRENCY_CODES } from "~/domain/money";
import { CampaignLanguageSelect } from "./campaign-language";
import { AdornedField, Field, FieldError, FormError, RadioCards, Select, TextArea } from "./fields";

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
  const schema = useMemo(() => (mode === "live" ? campaignLiveSchema : campaignDraftSchema()), [mode]);
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
          Some fields need attention. They are marked below.
        </div>
      ) : null}

      <section className="form-section card" aria-labelledby="basics-heading">
        <div className="form-section-intro">
          <h2 id="basics-heading">The basics</h2>
          <p className="muted">What you are making, in a few words. Backers see this first.</p>
        </div>
        <div className="form-section-fields stack">
          <Field
            label="Title"
            field={fields.title}
            required
            maxLength={TITLE_MAX}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          {mode === "live" ? (
            <p className="fixed-note">
              <span className="fixed-label">Web address</span> /projects/{fixed?.slug}{" "}
              <span className="muted small">(fixed at launch so links keep working)</span>
            </p>
          ) : (
            <AdornedField
              label="Web address"
              field={fields.slug}
              prefix="/projects/"
              placeholder={slugify(title) || "your-project"}
              hint="Lowercase letters, digits and hyphens. Leave it empty to use the one made from your title."
              maxLength={80}
              autoCapitalize="none"
              spellCheck={false}
            />
          )}
          <Field
            label="One-line blurb"
            field={fields.blurb}
            maxLength={BLURB_MAX}
            hint={`Up to ${BLURB_MAX} characters, shown on project cards.`}
          />
          <Select
            label="Category"
            field={fields.category}
            placeholder="Choose a category"
            options={CATEGORIES.map((c) => ({ value: c.slug, label: c.name }))}
          />
          <CampaignLanguageSelect field={fields.language} />
        </div>
      </section>

      <section className="form-section card" aria-labelledby="story-heading">
        <div className="form-section-intro">
          <h2 id="story-heading">Story</h2>
          <p className="muted">
            What you are making, why, who you are, and how you will deliver. Write in Markdown: <code>## heading</code>,{" "}
            <code>**bold**</code>, <code>[link](https://…)</code>, lists.
          </p>
        </div>
        <div className="form-section-fields stack">
          <TextArea
            label="Your story"
            field={fields.storyMd}
            rows={12}
            hint={`At least ${STORY_MIN} characters before you can launch.`}
          />
        </div>
      </section>

      <section className="form-section card" aria-labelledby="cover-heading">
        <div className="form-section-intro">
          <h2 id="cover-heading">Cover image</h2>
          <p className="muted">A 16:9 picture of your project. PNG, JPEG or WebP, up to 5 MB.</p>
        </div>
        <div className="form-section-fields stack">
          {coverUrl ? (
            <figure className="cover-preview">
              <img src={coverUrl} alt={fields.coverAlt.initialValue || "Current cover"} />
              <figcaption className="muted small">Current cover. Choose a new file to replace it.</figcaption>
            </figure>
          ) : null}
          <Field
            label={coverUrl ? "Replace the cover" : "Cover image"}
            field={fields.cover}
            type="file"
            accept="image/png,image/jpeg,image/webp"
          />
          <Field
            label="Describe the cover image"
            field={fields.coverAlt}
            maxLength={COVER_ALT_MAX}
            hint="For people who use screen readers, e.g. “A steel kettle with a folding solar panel on a picnic table”. Needed to launch."
          />
        </div>
      </section>

      <section className="form-section card" aria-labelledby="funding-heading">
        <div className="form-section-intro">
          <h2 id="funding-heading">Funding</h2>
          <p className="muted">
            {mode === "live"
              ? "These terms were fixed at launch: your backers pledged under them."
              : "Your goal, how long you run, and when backers pay. These are fixed once you launch."}
          </p>
        </div>
        {mode === "live" && fixed ? (
          <dl className="fixed-terms form-section-fields">
            <div>
              <dt>Goal</dt>
              <dd>{fixed.goal}</dd>
            </div>
            <div>
              <dt>Ends</dt>
              <dd>{fixed.deadline}</dd>
            </div>
            <div>
              <dt>Funding model</dt>
              <dd>{fundingModelLabel(fixed.fundingModel)}</dd>
            </div>
            <div>
              <dt>Backers are charged</dt>
              <dd>{collectionLabel(fixed.collection)}</dd>
            </div>
          </dl>
        ) : (
          <div className="form-section-fields stack">
            <div className="field-row">
              <Select
                label="Currency"
                field={fields.currency}
                options={CURRENCY_CODES.map((c) => ({ value: c, label: CURRENCIES[c].label }))}
              />
              <Field
                label="Funding goal"
                field={fields.goal}
                inputMode="decimal"
                hint="In the currency on the left. Yen have no decimals."
              />
            </div>
            <fieldset
              className={
                fields.durationDays.errors || fields.endDate.errors || fields.deadlineMode.errors
                  ? "field deadline-choice field-invalid"
                  : "field deadline-choice"
              }
            >
              <legend>Campaign length</legend>
              <p className="field-hint">
                Up to {DURATION_MAX_DAYS} days. Shorter campaigns often do better: 30 days is typical.
              </p>
              <div className="deadline-options">
                <div className="deadline-option">
                  <label className="inline-radio">
                    <input
                      type="radio"
                      name={fields.deadlineMode.name}
                      value="duration"
                      defaultChecked={fields.deadlineMode.initialValue !== "date"}
                    />
                    Run for a number of days after launch
                  </label>
                  <AdornedField
                    label="Number of days"
                    field={fields.durationDays}
                    inputMode="numeric"
                    suffix="days"
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
                    End on a date
                  </label>
                  <Field label="End date" field={fields.endDate} type="date" hint="Ends at 23:59 UTC that day." />
                </div>
              </div>
              <FieldError errors={fields.deadlineMode.errors} />
            </fieldset>
            <RadioCards legend="Funding model" field={fields.fundingModel} options={FUNDING_MODELS} />
            <RadioCards legend="When backers are charged" field={fields.collection} options={COLLECTIONS} />
          </div>
        )}
      </section>

      <div className="form-actions">
        <button type="submit" className="button button-primary button-large" disabled={submitting}>
          {submitting ? "Saving…" : submitLabel}
        </button>
        {mode !== "live" ? <p className="muted small">You can change all of this until you launch.</p> : null}
      </div>
    </Form>
  );
}
