import { Form, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { z } from "zod";
import { CATEGORIES } from "~/domain/catalog";
import {
  BLURB_MAX,
  campaignDraftSchema,
  campaignLiveSchema,
  COLLECTIONS,
  collectionLabel,
  COVER_ALT_MAX,
  DURATION_MAX_DAYS,
  FUNDING_MODELS,
  fundingModelLabel,
  slugify,
  STORY_MIN,
  TITLE_MAX,
} from "~/domain/campaign-rules";
import { CURRENCIES, CURRENCY_CODES } from "~/domain/money";
import type { FieldErrors } from "~/web/forms";
import { AdornedField, RadioCards, Select, TextArea } from "./form-controls";
import { Field, FormError, useSchemaValidation } from "./forms";

export interface FixedTerms {
  goal: string;
  deadline: string;
  fundingModel: "all_or_nothing" | "flexible";
  collection: "at_deadline" | "immediate";
  slug: string;
}

/**
 * The campaign form: every field for a draft; after launch, only what may still change, with the
 * fixed terms shown (not editable) and why.
 */
export function CampaignForm({
  mode,
  values,
  fieldErrors,
  formError,
  coverUrl,
  fixed,
  submitLabel,
}: {
  mode: "new" | "draft" | "live";
  values: Record<string, string>;
  fieldErrors?: FieldErrors;
  formError?: string;
  coverUrl?: string | null;
  fixed?: FixedTerms;
  submitLabel: string;
}) {
  const schema = useMemo(
    () => (mode === "live" ? campaignLiveSchema : campaignDraftSchema()) as z.ZodType<unknown>,
    [mode],
  );
  const { errors, onSubmit } = useSchemaValidation(schema, fieldErrors);
  const [title, setTitle] = useState(values.title ?? "");
  const submitting = useNavigation().state === "submitting";
  const v = (key: string) => values[key] ?? "";

  return (
    <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} className="campaign-form">
      <FormError message={formError} />
      {Object.keys(errors).length > 0 && !formError ? (
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
            name="title"
            required
            maxLength={TITLE_MAX}
            defaultValue={v("title")}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
          />
          {mode === "live" ? (
            <p className="fixed-note">
              <span className="fixed-label">Web address</span> /projects/{fixed?.slug}{" "}
              <span className="muted small">(fixed at launch so links keep working)</span>
            </p>
          ) : (
            <AdornedField
              label="Web address"
              name="slug"
              prefix="/projects/"
              defaultValue={v("slug")}
              placeholder={slugify(title) || "your-project"}
              hint="Lowercase letters, digits and hyphens. Leave it empty to use the one made from your title."
              maxLength={80}
              autoCapitalize="none"
              spellCheck={false}
              error={errors.slug}
            />
          )}
          <Field
            label="One-line blurb"
            name="blurb"
            maxLength={BLURB_MAX}
            defaultValue={v("blurb")}
            hint={`Up to ${BLURB_MAX} characters, shown on project cards.`}
            error={errors.blurb}
          />
          <Select
            label="Category"
            name="category"
            defaultValue={v("category")}
            placeholder="Choose a category"
            options={CATEGORIES.map((c) => ({ value: c.slug, label: c.name }))}
            error={errors.category}
          />
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
            name="storyMd"
            rows={12}
            defaultValue={v("storyMd")}
            hint={`At least ${STORY_MIN} characters before you can launch.`}
            error={errors.storyMd}
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
              <img src={coverUrl} alt={v("coverAlt") || "Current cover"} />
              <figcaption className="muted small">Current cover. Choose a new file to replace it.</figcaption>
            </figure>
          ) : null}
          <Field
            label={coverUrl ? "Replace the cover" : "Cover image"}
            name="cover"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            error={errors.cover}
          />
          <Field
            label="Describe the cover image"
            name="coverAlt"
            maxLength={COVER_ALT_MAX}
            defaultValue={v("coverAlt")}
            hint="For people who use screen readers, e.g. “A steel kettle with a folding solar panel on a picnic table”. Needed to launch."
            error={errors.coverAlt}
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
                name="currency"
                defaultValue={v("currency") || "usd"}
                options={CURRENCY_CODES.map((c) => ({ value: c, label: CURRENCIES[c].label }))}
                error={errors.currency}
              />
              <Field
                label="Funding goal"
                name="goal"
                inputMode="decimal"
                defaultValue={v("goal")}
                hint="In the currency on the left. Yen have no decimals."
                error={errors.goal}
              />
            </div>
            <fieldset
              className={
                errors.durationDays || errors.endDate || errors.deadlineMode
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
                      name="deadlineMode"
                      value="duration"
                      defaultChecked={v("deadlineMode") !== "date"}
                    />
                    Run for a number of days after launch
                  </label>
                  <AdornedField
                    label="Number of days"
                    name="durationDays"
                    inputMode="numeric"
                    suffix="days"
                    defaultValue={v("durationDays") || "30"}
                    error={errors.durationDays}
                  />
                </div>
                <div className="deadline-option">
                  <label className="inline-radio">
                    <input
                      type="radio"
                      name="deadlineMode"
                      value="date"
                      defaultChecked={v("deadlineMode") === "date"}
                    />
                    End on a date
                  </label>
                  <Field
                    label="End date"
                    name="endDate"
                    type="date"
                    defaultValue={v("endDate")}
                    hint="Ends at 23:59 UTC that day."
                    error={errors.endDate}
                  />
                </div>
              </div>
              {errors.deadlineMode ? (
                <p className="field-error" role="alert">
                  {errors.deadlineMode}
                </p>
              ) : null}
            </fieldset>
            <RadioCards
              legend="Funding model"
              name="fundingModel"
              options={FUNDING_MODELS}
              defaultValue={v("fundingModel") || "all_or_nothing"}
              error={errors.fundingModel}
            />
            <RadioCards
              legend="When backers are charged"
              name="collection"
              options={COLLECTIONS}
              defaultValue={v("collection") || "at_deadline"}
              error={errors.collection}
            />
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
