// npm run demo:code — the demo staff's current sign-in code (demo mode only). It is
// computed from the demo's published secret, so it works while `npm start` is running.
import { generate } from "otplib";
import { loadConfigOrExit, runCli } from "./boot";
import { DEMO_USERS, DEMO_TOTP_SECRET } from "./demo/seed";

runCli(async () => {
  const config = loadConfigOrExit();
  if (!config.demoMode) {
    console.log("demo:code works only in demo mode: outside it, staff use their own authenticator app.");
    return 2;
  }
  const seconds = 30 - (Math.floor(Date.now() / 1000) % 30);
  console.log(`${await generate({ secret: DEMO_TOTP_SECRET })}`);
  console.log(
    `(the code of every demo staff member, ${DEMO_USERS.filter((u) => u.role)
      .map((u) => u.email)
      .join(", ")}, valid for about ${seconds} s more; or add the key ${DEMO_TOTP_SECRET} to an authenticator app)`,
  );
  return 0;
});
