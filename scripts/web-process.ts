// One of `npm start`'s web processes when WEB_CONCURRENCY is above 1 (see web-cluster.ts).
process.env.NODE_ENV ??= "production";

import path from "node:path";
import { runWebProcess } from "./web-cluster";

runWebProcess(path.resolve(import.meta.dirname, "..")).catch((error: unknown) => {
  console.log(`A web process could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
