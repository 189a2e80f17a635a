import crypto from "node:crypto";
import type { EmailCategory } from "../../../db/schema.js";
import { getConfig, resolveSessionSecret } from "../../config.server";
import { isOptionalCategory, type OptionalCategory } from "../../domain/email-delivery";

// Unsubscribe links need no sign-in: the link carries the user and the category, signed with
// an HMAC of the session secret, so only the mail it was sent in can turn that category off.

const sign = (userId: string, category: string) =>
  crypto
    .createHmac("sha256", resolveSessionSecret(getConfig()))
    .update(`unsubscribe:${userId}:${category}`)
    .digest("base64url")
    .slice(0, 32);

export function unsubscribeToken(userId: string, category: OptionalCategory): string {
  return `${userId}.${category}.${sign(userId, category)}`;
}

/** The user and category a token names, or null when it is malformed or forged. */
export function readUnsubscribeToken(token: string): { userId: string; category: OptionalCategory } | null {
  const [userId, category, mac, ...rest] = token.split(".");
  if (!userId || !mac || rest.length || !isOptionalCategory(category)) return null;
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const expected = Buffer.from(sign(userId, category));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { userId, category };
}

/** The List-Unsubscribe headers (RFC 2369 + RFC 8058 one-click) of optional mail to a user. */
export function unsubscribeHeaders(userId: string | null, category: EmailCategory): Record<string, string> {
  if (!userId || !isOptionalCategory(category)) return {};
  const url = `${getConfig().appUrl}/unsubscribe/${unsubscribeToken(userId, category)}/one-click`;
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}
