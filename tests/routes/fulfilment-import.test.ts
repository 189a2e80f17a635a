import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.js";
import { shortReference } from "~/domain/fulfilment-forms";
import { ensureFulfilments } from "~/models/fulfilment-state.server";
import { action as tableAction } from "~/routes/creator.campaigns.$id.fulfilment._index";
import { action as importAction } from "~/routes/creator.campaigns.$id.fulfilment.import";
import { useTestDatabase } from "../support/database";
import { makeUser } from "../support/fixtures";
import { addCollectedBacker, fulfilmentOf, makeFundedCampaign } from "../support/fulfilment";
import { call, post, sessionCookie } from "../support/routes";

// Importing tracking numbers: a preview lists every bad row with its row number, and applying
// ships every row in one transaction or none, refusing when anything changed since the preview.

const database = useTestDatabase({ APP_URL: "https://colecta.example" });
const db = () => database().db as Kysely<Database>;

let creatorCookie: string;
let otherCookie: string;
let campaign: { id: string; tiers: { id: string }[] };
let otherPledge: string;
const pledges: string[] = [];

const importPath = (id: string) => `/creator/campaigns/${id}/fulfilment/import`;
function upload(
  cookie: string,
  text: string | Uint8Array<ArrayBuffer>,
  filename = "tracking.csv",
  type = "text/csv",
  id = campaign.id,
) {
  const form = new FormData();
  form.append("file", new File([text], filename, { type }));
  const request = new Request(`http://localhost${importPath(id)}`, {
    method: "POST",
    body: form,
    headers: { Cookie: cookie },
  });
  return call(importAction, request, { id });
}
const apply = (cookie: string, csv: string, fingerprint: string) =>
  call(importAction, post(importPath(campaign.id), { intent: "apply", csv, fingerprint }, cookie), { id: campaign.id });

interface Preview {
  stage: string;
  csv: string;
  fingerprint: string;
  rows: Array<{ row: number; reference: string }>;
  errors: Array<{ row: number; code: string; message: string }>;
  formError: string | null;
}
const statuses = async () => Promise.all(pledges.map(async (id) => (await fulfilmentOf(db(), id)).status));
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  const creator = await makeUser(db(), "Fay Creator");
  const other = await makeUser(db(), "Otto Other");
  creatorCookie = await sessionCookie(creator.id);
  otherCookie = await sessionCookie(other.id);
  campaign = await makeFundedCampaign(db(), { creatorId: creator.id });
  for (const name of ["One", "Two", "Three", "Four"]) {
    pledges.push(
      (await addCollectedBacker(db(), { campaignId: campaign.id, tierId: campaign.tiers[0]!.id, name })).pledgeId,
    );
  }
  const otherCampaign = await makeFundedCampaign(db(), { creatorId: other.id });
  otherPledge = (await addCollectedBacker(db(), { campaignId: otherCampaign.id, tierId: otherCampaign.tiers[0]!.id }))
    .pledgeId;
  await ensureFulfilments(db(), campaign.id);
  // Pledge Four is already shipped by hand.
  const shipped = await call(
    tableAction,
    post(
      `/creator/campaigns/${campaign.id}/fulfilment`,
      {
        intent: "ship",
        pledgeId: pledges[3]!,
        carrier: "DHL",
        trackingNumber: "D1",
        trackingUrl: "",
        shippedOn: today,
      },
      creatorCookie,
    ),
    { id: campaign.id },
  );
  expect(shipped.status).toBe(302);
}, 120_000);

describe("importing tracking numbers", () => {
  it("lists every bad row with its row number and applies nothing", async () => {
    const csv = [
      "reference,carrier,tracking number,tracking url,shipped",
      `${shortReference(pledges[0]!)},Correos,PK1,https://track.example/PK1,${today}`,
      `FFFFFFFF,Correos,PK2,,${today}`,
      `${otherPledge},Correos,PK3,,${today}`,
      `${pledges[3]},Correos,PK4,,${today}`,
      `${pledges[0]},Correos,PK5,,${today}`,
      `${shortReference(pledges[1]!)},Correos,PK6,http://insecure.example/6,${today}`,
      `${shortReference(pledges[2]!)},Correos,,,31/12/2026`,
      "",
      `not-a-reference,Correos,PK9,,${today}`,
    ].join("\n");
    const res = await upload(creatorCookie, csv);
    expect(res.status).toBe(400);
    const preview = (await res.json()) as Preview;
    expect(preview.errors.map((e) => [e.row, e.code])).toEqual([
      [3, "unknownReference"],
      [4, "otherCampaign"],
      [5, "cannotShip"],
      [6, "duplicateReference"],
      [7, "badUrl"],
      [8, "missingTracking"],
      [8, "badDate"],
      [10, "badReference"],
    ]);
    expect(preview.errors[2]!.message).toBe("Row 5: this reward is Shipped and cannot be marked shipped.");
    expect(preview.errors[0]!.message).toBe("Row 3: no pledge of this campaign has the reference FFFFFFFF.");
    // Applying it anyway (a hand-made request) is refused whole.
    const applied = await apply(creatorCookie, preview.csv, preview.fingerprint);
    expect(applied.status).toBe(409);
    expect(await statuses()).toEqual(["ready", "ready", "ready", "shipped"]);
  });

  it("refuses a file that is not CSV, one too large, or none, with a clear message", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const notCsv = await upload(creatorCookie, png, "photo.png", "image/png");
    expect(notCsv.status).toBe(415);
    expect(((await notCsv.json()) as Preview).formError).toBe(
      "This is not a CSV file. Save the sheet as CSV (comma separated, UTF-8) and upload that.",
    );
    const big = await upload(creatorCookie, "a,b,c\n".repeat(100_000));
    expect(big.status).toBe(413);
    expect(((await big.json()) as Preview).formError).toBe(
      "The file is larger than 512 KB. Split it and import each part.",
    );
    const broken = await upload(creatorCookie, 'ref,"unterminated\n');
    expect(broken.status).toBe(415);
    expect((await upload(creatorCookie, "")).status).toBe(400);
    expect(await statuses()).toEqual(["ready", "ready", "ready", "shipped"]);
  });

  it("is the campaign's creator's only", async () => {
    const csv = `${pledges[0]},Correos,PK1,,${today}`;
    expect((await upload(otherCookie, csv)).status).toBe(404);
    expect((await apply(otherCookie, csv, "0".repeat(64))).status).toBe(404);
  });

  it("refuses to apply when a reward changed since the preview, and applies nothing", async () => {
    const csv = [pledges[0], pledges[1]].map((p, i) => `${p},Correos,PK${i},,${today}`).join("\r\n");
    const preview = (await (await upload(creatorCookie, csv)).json()) as Preview;
    expect(preview.errors).toEqual([]);
    expect(preview.rows).toHaveLength(2);
    // Meanwhile the second is shipped from the table.
    await call(
      tableAction,
      post(
        `/creator/campaigns/${campaign.id}/fulfilment`,
        {
          intent: "ship",
          pledgeId: pledges[1]!,
          carrier: "DHL",
          trackingNumber: "D2",
          trackingUrl: "",
          shippedOn: today,
        },
        creatorCookie,
      ),
      { id: campaign.id },
    );
    const res = await apply(creatorCookie, preview.csv, preview.fingerprint);
    expect(res.status).toBe(409);
    const again = (await res.json()) as Preview;
    expect(again.formError).toMatch(/Nothing has been applied/);
    expect(again.errors.map((e) => [e.row, e.code])).toEqual([[2, "cannotShip"]]);
    expect(await statuses()).toEqual(["ready", "shipped", "ready", "shipped"]);
    expect((await fulfilmentOf(db(), pledges[1]!)).tracking_number).toBe("D2");
  });

  it("applies every row at once (by id or short reference) and emails each backer; twice at once ships once", async () => {
    const csv = [
      "Reference,Carrier,Tracking,URL,Date",
      `${shortReference(pledges[0]!).toLowerCase()},Correos,PK10,https://track.example/PK10,${today}`,
      `"${pledges[2]}","Correos, Spain",PK12,,${today}`,
    ].join("\n");
    const res = await upload(creatorCookie, csv);
    expect(res.status).toBe(200);
    const preview = (await res.json()) as Preview;
    expect(preview.rows.map((r) => r.row)).toEqual([2, 3]);
    // The page sends the file back with CRLF line breaks, as browsers do.
    const sent = preview.csv.replace(/\n/g, "\r\n");
    const [a, b] = await Promise.all([
      apply(creatorCookie, sent, preview.fingerprint),
      apply(creatorCookie, sent, preview.fingerprint),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    expect((a.status === 302 ? a : b).headers.get("Location")).toBe(
      `/creator/campaigns/${campaign.id}/fulfilment?imported=2`,
    );
    expect(await statuses()).toEqual(["shipped", "shipped", "shipped", "shipped"]);
    expect(await fulfilmentOf(db(), pledges[2]!)).toMatchObject({ carrier: "Correos, Spain", tracking_number: "PK12" });
    const shippedEvents = await db()
      .selectFrom("fulfilment_events")
      .select("pledge_id")
      .where("pledge_id", "in", [pledges[0]!, pledges[2]!])
      .where("to_status", "=", "shipped")
      .execute();
    expect(shippedEvents).toHaveLength(2);
    const emails = await db()
      .selectFrom("email_outbox")
      .select("body_text")
      .where("kind", "=", "reward_shipped")
      .where("body_text", "like", "%PK1_%")
      .execute();
    expect(emails).toHaveLength(2);
  });
});
