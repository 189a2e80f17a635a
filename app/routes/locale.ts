import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { getConfig } from "~/config.server";
import { getDb } from "~/db.server";
import { LOCALES } from "~/domain/locale";
import { setUserLocale } from "~/models/user.server";
import { getOptionalUser } from "~/services/accounts/auth.server";
import { localeCookieHeader } from "~/web/locale.server";
import { readForm } from "~/web/read-form";
import { safeRedirect } from "~/web/safe-redirect";

// The language switch in the header posts here (a plain form: it works without JavaScript).
// Cross-site POSTs are refused before any route runs (docs/decisions/004).

const choice = z.object({ locale: z.enum(LOCALES), redirectTo: z.string().max(2000).optional() });

export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = choice.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("Choose one of the site's languages.", { status: 400 });
  const { locale, redirectTo } = parsed.data;

  const user = await getOptionalUser(request);
  if (user) await setUserLocale(await getDb(), { userId: user.id, locale });
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": localeCookieHeader(locale, { secure: getConfig().appUrl.startsWith("https://") }) },
  });
}
