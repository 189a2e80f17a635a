import {
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  json,
  MaxPartSizeExceededError,
  redirect,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import type { Translate } from "~/domain/locale";
import { IMPORT_MAX_BYTES, type ImportRowError } from "~/domain/tracking-import";
import { metaTranslator } from "~/i18n";
import { requireCreatorCampaign } from "~/services/campaigns/creator.server";
import { applyImport, previewImport, type ImportPlan } from "~/services/fulfilment/import.server";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import styles from "~/styles/fulfilment.css";

// Importing tracking numbers from a CSV: upload, preview (every row's errors with its row
// number), then apply all rows at once or none. The file is carried from the preview to the
// apply step in the page, with a fingerprint of what the preview read.

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("fulfilment:import.meta") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { campaign } = await requireCreatorCampaign(request, params, context);
  return json({ campaignId: campaign.id, maxKb: Math.floor(IMPORT_MAX_BYTES / 1024) });
}

type Upload = { kind: "none" } | { kind: "too_large" } | { kind: "not_csv" } | { kind: "file"; text: string };

/** Reads the uploaded file: at most IMPORT_MAX_BYTES, text in UTF-8, named or typed as CSV. */
async function readUpload(request: Request): Promise<Upload> {
  let upload: Upload = { kind: "none" };
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > IMPORT_MAX_BYTES * 4) throw new MaxPartSizeExceededError(name, IMPORT_MAX_BYTES);
      if (size <= IMPORT_MAX_BYTES) chunks.push(chunk);
    }
    if (name !== "file" || typeof filename !== "string" || (size === 0 && !filename)) return undefined;
    if (size > IMPORT_MAX_BYTES) upload = { kind: "too_large" };
    else {
      const csvLike = /\.(csv|txt)$/i.test(filename) || /^text\/(csv|plain)|vnd\.ms-excel/.test(contentType);
      let text: string | null = null;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        text = null;
      }
      upload = !csvLike || text === null || text.includes("\u0000") ? { kind: "not_csv" } : { kind: "file", text };
    }
    return "";
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { kind: "too_large" };
    return { kind: "none" };
  }
  return upload;
}

function errorMessage(t: Translate, e: ImportRowError): string {
  const detail =
    e.code === "cannotShip"
      ? e.detail === "none"
        ? t("fulfilment:import.notOwed")
        : t(`fulfilment:status.${e.detail}`)
      : (e.detail ?? "");
  return t(`fulfilment:import.error.${e.code}`, { row: e.row, detail });
}

function previewData(t: Translate, plan: ImportPlan, csv: string) {
  return {
    stage: "preview" as const,
    csv,
    fingerprint: plan.fingerprint,
    rows: plan.rows.map((r) => ({
      row: r.row,
      reference: r.reference.toUpperCase(),
      backerName: r.backerName,
      status: r.status,
      carrier: r.carrier,
      trackingNumber: r.trackingNumber,
      shippedOn: r.shippedAt.toISOString().slice(0, 10),
    })),
    errors: plan.errors.map((e) => ({ row: e.row, code: e.code, message: errorMessage(t, e) })),
    formError: null as string | null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, actor, campaign } = await requireCreatorCampaign(request, params, context);
  const t = requestTranslator(request, user);
  const db = await getDb();
  const refused = (formError: string, status = 400) =>
    json({ stage: "upload" as const, formError, csv: "", fingerprint: "", rows: [], errors: [] }, { status });
  const contentType = request.headers.get("Content-Type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const upload = await readUpload(request);
    if (upload.kind === "none") return refused(t("fulfilment:import.noFile"));
    if (upload.kind === "too_large")
      return refused(t("fulfilment:import.tooLarge", { kb: Math.floor(IMPORT_MAX_BYTES / 1024) }), 413);
    if (upload.kind === "not_csv") return refused(t("fulfilment:import.notCsv"), 415);
    const plan = await previewImport(db, { campaignId: campaign.id, csv: upload.text });
    if (plan.unreadable) return refused(t("fulfilment:import.notCsv"), 415);
    if (plan.rows.length === 0 && plan.errors.length === 0) return refused(t("fulfilment:import.empty"));
    return json(previewData(t, plan, upload.text), { status: plan.errors.length > 0 ? 400 : 200 });
  }
  const form = await readForm(request);
  const csv = String(form.get("csv") ?? "");
  const fingerprint = String(form.get("fingerprint") ?? "");
  if (form.get("intent") !== "apply" || !csv || csv.length > IMPORT_MAX_BYTES || !/^[0-9a-f]{64}$/.test(fingerprint))
    return refused(t("fulfilment:import.noFile"));
  const result = await applyImport(db, { campaignId: campaign.id, csv, fingerprint, actorId: actor.userId });
  if (result.ok) return redirect(`/creator/campaigns/${campaign.id}/fulfilment?imported=${result.applied}`);
  const data = previewData(t, result.plan, csv);
  data.formError = result.reason === "changed" ? t("fulfilment:import.changed") : t("fulfilment:import.refused");
  return json(data, { status: 409 });
}

export default function ImportTracking() {
  const { campaignId, maxKb } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="creator-section fulfilment-import">
      <p className="breadcrumb">
        <Link to={`/creator/campaigns/${campaignId}/fulfilment`}>{t("fulfilment:import.back")}</Link>
      </p>
      <h2>{t("fulfilment:import.title")}</h2>
      <p className="muted">{t("fulfilment:import.intro")}</p>
      {data?.formError ? (
        <div className="form-error" role="alert">
          {data.formError}
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stack card">
        <div className="field">
          <label htmlFor="import-file">{t("fulfilment:import.file")}</label>
          <p id="import-file-hint" className="field-hint">
            {t("fulfilment:import.fileHint", { kb: maxKb })}
          </p>
          <input
            id="import-file"
            type="file"
            name="file"
            accept=".csv,text/csv"
            aria-describedby="import-file-hint"
            required
          />
        </div>
        <button type="submit" className="button button-secondary" disabled={busy}>
          {t("fulfilment:import.preview")}
        </button>
      </Form>
      {data?.stage === "preview" ? (
        <section aria-labelledby="import-preview-heading">
          <h3 id="import-preview-heading">{t("fulfilment:import.previewTitle")}</h3>
          {data.errors.length > 0 ? (
            <div className="form-error" role="alert">
              <p>{t("fulfilment:import.errorsFound", { count: data.errors.length })}</p>
              <ul className="import-errors">
                {data.errors.map((e, i) => (
                  <li key={`${e.row}-${e.code}-${i}`}>{e.message}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p>{t("fulfilment:import.ready", { count: data.rows.length })}</p>
          )}
          {data.rows.length > 0 ? (
            <div className="table-scroll">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t("fulfilment:import.row")}</th>
                    <th scope="col">{t("fulfilment:csv.reference")}</th>
                    <th scope="col">{t("fulfilment:table.backer")}</th>
                    <th scope="col">{t("fulfilment:csv.carrier")}</th>
                    <th scope="col">{t("fulfilment:csv.trackingNumber")}</th>
                    <th scope="col">{t("fulfilment:csv.shippedOn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((r) => (
                    <tr key={r.row}>
                      <td>{r.row}</td>
                      <td className="mono">{r.reference}</td>
                      <td>{r.backerName}</td>
                      <td>{r.carrier}</td>
                      <td>{r.trackingNumber}</td>
                      <td>{r.shippedOn}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {data.errors.length === 0 && data.rows.length > 0 ? (
            <Form method="post">
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="csv" value={data.csv} />
              <input type="hidden" name="fingerprint" value={data.fingerprint} />
              <button type="submit" className="button button-primary" disabled={busy}>
                {t("fulfilment:import.apply", { count: data.rows.length })}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
