import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError } from "~/components/fields";
import { getDb } from "~/db.server";
import { PASSWORD_MIN, signupSchema } from "~/domain/accounts";
import { requireAnonymous, startUserSession } from "~/services/accounts/auth.server";
import { signUp } from "~/services/accounts/accounts.server";
import { clientIp } from "~/web/context";
import { replyWithRefusal } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Create your account · Colecta" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: signupSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });

  const ip = clientIp(context);
  const outcome = await signUp(await getDb(), { ...submission.value, ip });
  if (!outcome.ok) {
    const retryAfter =
      "retryAfterSeconds" in outcome ? { "Retry-After": String(outcome.retryAfterSeconds) } : undefined;
    return replyWithRefusal(submission, outcome, { headers: retryAfter, hideFields: ["password"] });
  }
  return startUserSession({ request, userId: outcome.userId, ip, redirectTo: submission.value.redirectTo ?? "/" });
}

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
  const submitting = useNavigation().state === "submitting";
  const loginHref = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : "/login";

  return (
    <section className="auth-card" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <p className="muted">Back projects, follow their progress, and run your own campaign.</p>
      <FormError errors={form.errors} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field label="Name" field={fields.name} autoComplete="name" required maxLength={100} />
        <Field label="Email" field={fields.email} type="email" autoComplete="email" required />
        <Field
          label="Password"
          field={fields.password}
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters. A short sentence works well.`}
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p className="auth-switch">
        Already have an account? <Link to={loginHref}>Sign in</Link>
      </p>
    </section>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/error-boundary";
