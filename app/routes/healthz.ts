import { json } from "@remix-run/node";
import { getConfig } from "~/config.server";
import { getDatabase } from "~/db.server";

// Load balancers and `npm start` poll this: 200 when the database answers, 503 when it does not.
export async function loader() {
  const config = getConfig();
  let up = false;
  try {
    up = await (await getDatabase()).ping(2000);
  } catch {
    up = false;
  }
  return json(
    { ok: up, db: config.dbKind, stripe: config.stripeMode, pid: process.pid },
    { status: up ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
