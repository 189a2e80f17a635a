import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError, useSchemaValidation } from "~/components/forms";
import { getDb } from "~/db.server";
import { loginSchema } from "~/domain/accounts";
import { attemptLogin, describeWait } from "~/services/accounts/accounts.server";
import { requireAnonymous, startUserSession } from "~/services/accounts/auth.server";
import { clientIp } from "~/web/context";
import { parseForm, type FieldErrors } from "~/web/forms";
import { readForm } from "~/web/read-form";

export const meta: MetaFunction = () => [{ title: "Sign in · Colecta" }];

type ActionData = { fieldErrors: FieldErrors; formError?: string; values: { email: string } };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const values = { email: String(form.get("email") ?? "").slice(0, 300) };
  const parsed = parseForm(loginSchema, form);
  if (!parsed.ok) return json<ActionData>({ fieldErrors: parsed.fieldErrors, values }, { status: 400 });

  const ip = clientIp(context);
  const outcome = await attemptLogin(await getDb(), { ...parsed.data, ip });
  if (!outcome.ok) {
    if (outcome.reason === "rate_limited") {
      return json<ActionData>(
        {
          fieldErrors: {},
          formError: `Too many sign-in attempts. For your security, please wait ${describeWait(outcome.retryAfterSeconds)} and try again.`,
          values,
        },
        { status: 429, headers: { "Retry-After": String(outcome.retryAfterSeconds) } },
      );
    }
    // One message for an unknown email and a wrong password: never reveal which accounts exist.
    return json<ActionData>(
      { fieldErrors: {}, formError: "That email and password don't match an account.", values },
      { status: 400 },
    );
  }
  return startUserSession({ request, userId: outcome.userId, ip, redirectTo: parsed.data.redirectTo ?? "/" });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const { errors, onSubmit } = useSchemaValidation(loginSchema, actionData?.fieldErrors);
  const submitting = useNavigation().state === "submitting";
  const signupHref = redirectTo ? `/signup?${new URLSearchParams({ redirectTo })}` : "/signup";

  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      <p className="muted">Welcome back. Sign in to manage your pledges and campaigns.</p>
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate onSubmit={onSubmit} className="stack">
        <input type="hidden" name="redirectTo" value={redirectTo} />
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
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <button type="submit" className="button button-primary button-block" disabled={submitting}>
          {submitting ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="auth-switch">
        New to Colecta? <Link to={signupHref}>Create an account</Link>
      </p>
    </section>
  );
}
