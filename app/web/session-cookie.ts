/** The name of the cookie holding a signed-in person's session token (see services/accounts/auth.server). */
export const SESSION_COOKIE = "__colecta_session";
