import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Field, FormError } from "~/components/fields";
import { answerTo } from "~/components/finance/action-form";
import { getDb } from "~/db.server";
import { refuse } from "~/domain/refusal";
import { mustUseSecondFactor, totpFormSchema } from "~/domain/two-factor";
import { metaTranslator } from "~/i18n";
import { markSecondFactorPassed, requireUser } from "~/services/accounts/auth.server";
import {
  beginEnrolment,
  confirmEnrolment,
  disableTwoFactor,
  getTwoFactorStatus,
  regenerateRecoveryCodes,
} from "~/services/security/two-factor.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { requestTranslator } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { safeRedirect } from "~/web/safe-redirect";

export const meta: MetaFunction = ({ matches }) => [{ title: metaTranslator(matches)("security:meta.settings") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const status = await getTwoFactorStatus(db, { userId: user.id });
  const enrolment = status.enrolled ? null : await beginEnrolment(db, { userId: user.id, email: user.email });
  return json({
    ...status,
    staff: mustUseSecondFactor(user.roles),
    enrolment: enrolment ? { secret: enrolment.secret, qrSvg: enrolment.qrSvg } : null,
  });
}

const INTENTS = ["confirm", "regenerate", "disable"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const t = requestTranslator(request, user);
  const form = await readForm(request);
  const intent = INTENTS.find((i) => i === form.get("intent"));
  if (!intent) return replyWithRefusal(null, refuse(400, t("security:refusal.unknownAction")));
  const submission = parseWithZod(form, { schema: totpFormSchema(t) });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["code"] }), { status: 400 });

  const db = await getDb();
  const input = { userId: user.id, code: submission.value.code, ip: clientIp(context), t };
  const outcome =
    intent === "confirm"
      ? await confirmEnrolment(db, input)
      : intent === "regenerate"
        ? await regenerateRecoveryCodes(db, input)
        : await disableTwoFactor(db, { ...input, roles: user.roles });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["code"] });
  }
  // The code just given proves the factor in this session too: no second step straight after.
  if (intent === "confirm") await markSecondFactorPassed(request);
  const notice = {
    confirm: t("security:settings.enabledNotice"),
    regenerate: t("security:settings.regeneratedNotice"),
    disable: t("security:settings.disabledNotice"),
  }[intent];
  const recoveryCodes = (outcome as { recoveryCodes?: string[] }).recoveryCodes ?? null;
  return json({ intent, notice, recoveryCodes });
}

function CodeForm({
  intent,
  button,
  tone = "primary",
  children,
}: {
  intent: (typeof INTENTS)[number];
  button: string;
  tone?: "primary" | "secondary" | "danger";
  children?: ReactNode;
}) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const schema = useMemo(() => totpFormSchema(t), [t]);
  const [form, fields] = useForm({
    id: `two-factor-${intent}`,
    lastResult: answerTo(actionData, intent),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      {children}
      <FormError errors={form.errors} />
      <input type="hidden" name="intent" value={intent} />
      <Field
        label={t("security:settings.codeLabel")}
        hint={t("security:settings.codeHint")}
        field={fields.code}
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={9}
        required
      />
      <button type="submit" className={`button button-${tone}`} disabled={busy}>
        {busy ? t("security:settings.working") : button}
      </button>
    </Form>
  );
}

export default function TwoFactorSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const required = searchParams.get("required") === "1" && !data.enrolled;
  const next = searchParams.get("redirectTo");
  const answer = actionData && "notice" in actionData ? actionData : null;

  return (
    <div className="container narrow two-factor-page">
      <h1>{t("security:settings.title")}</h1>
      <p className="muted">{t("security:settings.lead")}</p>
      {required ? (
        <div className="notice notice-info" role="note">
          {t("security:settings.required")}
        </div>
      ) : null}
      {answer ? (
        <div className="notice notice-success" role="status">
          {answer.notice}
        </div>
      ) : null}

      {answer?.recoveryCodes ? (
        <section className="card stack" aria-labelledby="recovery-title">
          <h2 id="recovery-title">{t("security:settings.recoveryTitle")}</h2>
          <p>{t("security:settings.recoveryLead")}</p>
          <ol className="recovery-codes">
            {answer.recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
          <Link to={next ? safeRedirect(next) : "/settings/two-factor"} className="button button-primary">
            {t("security:settings.recoveryDone")}
          </Link>
        </section>
      ) : null}

      {data.enrolment ? (
        <section className="card stack" aria-labelledby="enrol-title">
          <h2 id="enrol-title">{t("security:settings.off")}</h2>
          <p>{t("security:settings.scan")}</p>
          <div
            className="two-factor-qr"
            role="img"
            aria-label={t("security:settings.qrAlt")}
            // An SVG the server drew from the otpauth URI (qrcode); it holds no user input.
            dangerouslySetInnerHTML={{ __html: data.enrolment.qrSvg }}
          />
          <p className="small">
            {t("security:settings.manual")} <code className="two-factor-secret">{data.enrolment.secret}</code>
          </p>
          <CodeForm intent="confirm" button={t("security:settings.confirm")}>
            <p>{t("security:settings.confirmLead")}</p>
          </CodeForm>
        </section>
      ) : (
        <>
          <section className="card stack" aria-labelledby="status-title">
            <h2 id="status-title">{t("security:settings.on")}</h2>
            <p className="muted">{t("security:settings.recoveryLeft", { count: data.recoveryCodesLeft })}</p>
          </section>
          <section className="card stack" aria-labelledby="regenerate-title">
            <h2 id="regenerate-title">{t("security:settings.regenerateTitle")}</h2>
            <CodeForm intent="regenerate" button={t("security:settings.regenerateButton")} tone="secondary">
              <p className="muted">{t("security:settings.regenerateLead")}</p>
            </CodeForm>
          </section>
          <section className="card stack" aria-labelledby="disable-title">
            <h2 id="disable-title">{t("security:settings.disableTitle")}</h2>
            {data.staff ? (
              <p className="muted">{t("security:settings.staffKeepsIt")}</p>
            ) : (
              <CodeForm intent="disable" button={t("security:settings.disableButton")} tone="danger">
                <p className="muted">{t("security:settings.disableLead")}</p>
              </CodeForm>
            )}
          </section>
        </>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
