import { attemptLogin } from "~/services/accounts/accounts.server";
import { DEMO_PASSWORD, seedDemoData } from "../../scripts/demo/seed";
import { getUserById } from "~/models/user.server";
import { useTestDatabase } from "../support/database";

const database = useTestDatabase();

describe("demo data", () => {
  it("seeds the three demo users on an empty database, once", async () => {
    const { db } = database();
    expect(await seedDemoData(db)).toBe(true);
    expect(await seedDemoData(db)).toBe(false);
    for (const email of ["backer@example.com", "creator@example.com", "finance@example.com"]) {
      const login = await attemptLogin(db, { email, password: DEMO_PASSWORD, ip: "127.0.0.1" });
      expect(login.ok, email).toBe(true);
    }
    const finance = await attemptLogin(db, { email: "finance@example.com", password: DEMO_PASSWORD, ip: "127.0.0.1" });
    if (!finance.ok) throw new Error("unreachable");
    expect((await getUserById(db, finance.userId))?.roles).toEqual(["finance"]);
  });
});
