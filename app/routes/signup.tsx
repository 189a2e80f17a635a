import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError, useSchemaValidation } from "~/components/forms";
import { getDb } from "~/db.server";
import { PASSWORD_MIN, signupSchema } from "~/domain/accounts";
import { requireAnonymous, startUserSession } from "~/services/accounts/auth.server";
import { describeWait, signUp } from "~/services/accounts/accounts.server";
import { clientIp } from "~/web/context";
import { parseForm, type FieldErrors } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Create your account · Colecta" }];

type ActionData = { fieldErrors: FieldErrors; formError?: string; values: { name: string; email: string } };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = {
    name: String(form.get("name") ?? "").slice(0, 300),
    email: String(form.get("email") ?? "").slice(0, 300),
  };
  const parsed = parseForm(signupSchema, form);
  if (!parsed.ok) return json<ActionData>({ fieldErrors: parsed.fieldErrors, values }, { status: 400 });

  const ip = clientIp(context);
  const outcome = await signUp(await getDb(), { ...parsed.data, ip });
  if (!outcome.ok) {
    if (outcome.reason === "email_taken") {
      return json<ActionData>(
        {
          fieldErrors: { email: "An account with this email already exists. Sign in instead, or use another email." },
          values,
        },
        { status: 400 },
      );
    }
    return json<ActionData>(
      {
        fieldErrors: {},
        formError: `Too many new accounts from your network. Try again in ${describeWait(outcome.retryAfterSeconds)}.`,
        values,
      },
      { status: 429, headers: { "Retry-After": String(outcome.retryAfterSeconds) } },
    );
  }
  return startUserSession({ request, userId: outcome.userId, ip, redirectTo: parsed.data.redirectTo ?? "/" });
}

export default function SignupPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const { errors, onSubmit } = useSchemaValidation(signupSchema, actionData?.fieldErrors);
  const submitting = useNavigation().state === "submitting";
  const loginHref = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : "/login";

  return (
    <section className="auth-card" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <p className="muted">Back projects, follow their progress, and run your own campaign.</p>
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          defaultValue={actionData?.values.name}
          error={errors.name}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={actionData?.values.email}
          error={errors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters. A short sentence works well.`}
          error={errors.password}
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
