import type { Page } from "playwright-core";
import {
  describeInBrowser,
  expectAccessible,
  linkFromMailbox,
  screenshot,
  signIn,
  useBrowser,
  waitForHydration,
} from "../support/browser";
import { useSite } from "../support/site";

// After funding, in a real browser on the demo data: the creator of the funded Kintsugi Kit
// builds a backer survey and sends it, a backer finds it in their mailbox and answers it (a bad
// postcode first), the creator imports a tracking number from a CSV file, the backer confirms
// the reward arrived, and the project's public delivery record counts it.

const KINTSUGI = "/projects/kintsugi-repair-kit";
const CREATOR = "priya@quiethours.example";

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return screenshot(page, name);
}

/** The rows of a CSV export (no field of these holds a comma or a quote). */
function csvRows(text: string) {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const names = header!.split(",");
  return rows.map((line) => Object.fromEntries(line.split(",").map((value, i) => [names[i]!, value])));
}

describeInBrowser("rewards after funding in a real browser", () => {
  const site = useSite();
  const newPage = useBrowser({ baseURL: () => site().url });

  it("a survey is built, sent and answered; a tracking number imported; the reward confirmed on the public record", async () => {
    const creator = await newPage();
    await signIn(creator, CREATOR);
    await creator.goto("/creator");
    await creator
      .getByRole("link", { name: /Kintsugi Kit/ })
      .first()
      .click();
    await creator.getByRole("link", { name: "Survey", exact: true }).click();
    await creator.getByRole("heading", { name: "Backer survey" }).waitFor();
    await waitForHydration(creator);
    const surveyUrl = creator.url();
    const campaignPath = new URL(surveyUrl).pathname.replace(/\/survey$/, "");

    // The public record before: no reward of this creator is due yet, so there is none.
    const visitor = await newPage();
    await visitor.goto(KINTSUGI);
    await visitor.getByRole("heading", { name: "Kintsugi Kit: repair your ceramics with gold" }).waitFor();
    expect(await visitor.getByRole("heading", { name: "Delivery record" }).count()).toBe(0);

    await creator.getByRole("button", { name: "Start the survey" }).click();
    await creator.getByText("Survey started: add your questions.").waitFor();
    await waitForHydration(creator);
    // The shipping address, then a choice with a limited option.
    await creator.getByLabel("Kind of question").selectOption("address");
    await creator.getByLabel("Question", { exact: true }).fill("Where should we send your kit?");
    await creator.getByRole("button", { name: "Add question" }).click();
    await creator.getByText("Question saved.").waitFor();
    await waitForHydration(creator);
    await creator.getByLabel("Kind of question").selectOption("single");
    await creator.getByLabel("Question", { exact: true }).fill("Which gold would you like?");
    await creator.getByLabel("Option 1", { exact: true }).fill("Gold powder");
    await creator.getByLabel("Option 2", { exact: true }).fill("Silver powder");
    await creator.getByLabel("Stock for option 2").fill("5");
    await creator.getByRole("button", { name: "Add question" }).click();
    await creator.getByText("Question saved.").waitFor();
    await creator.getByText("Which gold would you like?").first().waitFor();
    await shot(creator, "rewards-survey-built");
    await expectAccessible(creator);

    // Preview as a backer of the starter kit, then send with a lock date three weeks away.
    await creator.getByLabel("As a backer of").selectOption({ label: "Starter kit" });
    await creator.getByRole("button", { name: "Show preview" }).click();
    await creator.getByRole("heading", { name: /Preview as a backer of “Starter kit”/ }).waitFor();
    await shot(creator, "rewards-survey-preview");
    await waitForHydration(creator);
    const lock = new Date(Date.now() + 21 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await creator.getByLabel("Answers lock on").fill(lock);
    await creator.getByRole("button", { name: "Send the survey" }).click();
    await creator.getByText(/The survey was sent to \d+ backers?\./).waitFor();
    await shot(creator, "rewards-survey-sent");

    // A backer who ships to Japan or elsewhere, from the creator's export for the shipping house.
    const exported = await creator.request.get(`${campaignPath}/fulfilment.csv`);
    expect(exported.status()).toBe(200);
    const rows = csvRows(await exported.text());
    const target = rows.find((r) => Object.values(r).includes("Japan")) ?? rows[0]!;
    const email = Object.values(target).find((v) => v.includes("@"))!;
    const reference = Object.values(target)[0]!;
    const japan = Object.values(target).includes("Japan");

    const backer = await newPage();
    await signIn(backer, email);
    const link = await linkFromMailbox(backer, site().url, /https?:\/\/[^\s"<]+\/me\/pledges\/[0-9a-f-]{36}\/survey/);
    await backer.goto(link);
    await backer.getByRole("heading", { name: /Your survey for Kintsugi Kit/ }).waitFor();
    await waitForHydration(backer);
    await backer.getByLabel("Country").selectOption(japan ? "JP" : "BR");
    await backer.getByLabel("Full name").fill("Aiko Tanaka");
    await backer.getByLabel("Address", { exact: true }).fill(japan ? "1-2-3 Kanda, Chiyoda-ku" : "Av. Paulista 1000");
    await backer.getByLabel("City").fill(japan ? "Tokyo" : "São Paulo");
    // A postcode of the wrong shape is refused at its field, and nothing is saved.
    await backer.getByLabel("Postal code").fill(japan ? "12345" : "!");
    await backer.getByLabel("Gold powder").check();
    await backer.getByRole("button", { name: "Save my answers" }).click();
    await backer.getByText(japan ? /This is not a postal code of Japan/i : /Enter a valid postal code/i).waitFor();
    await shot(backer, "rewards-survey-bad-postcode");
    await waitForHydration(backer);
    await backer.getByLabel("Postal code").fill(japan ? "101-0047" : "01310-100");
    await backer.getByRole("button", { name: "Save my answers" }).click();
    await backer.getByText(/Thanks, your answers are saved/).waitFor();
    await shot(backer, "rewards-survey-answered");
    await expectAccessible(backer);

    // The creator imports the shipment from a CSV file: a preview, then all of it at once.
    await creator.goto(`${campaignPath}/fulfilment/import`);
    await waitForHydration(creator);
    const today = new Date().toISOString().slice(0, 10);
    const csv = `reference,carrier,tracking,url,shipped\n${reference},Japan Post,EJ123456789JP,https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=EJ123456789JP,${today}\n`;
    await creator
      .getByLabel("CSV file")
      .setInputFiles({ name: "shipments.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await creator.getByRole("button", { name: "Check the file" }).click();
    await creator.getByText("1 shipment is ready to apply.").waitFor();
    await shot(creator, "rewards-import-preview");
    await creator.getByRole("button", { name: "Apply 1 shipment" }).click();
    await creator.getByText("1 shipment imported. Its backer has been emailed.").waitFor();
    await shot(creator, "rewards-import-applied");

    // The backer sees it on their way and confirms it arrived.
    await backer.goto(link.replace(/\/survey$/, ""));
    await backer.getByRole("link", { name: "Track the parcel" }).waitFor();
    await backer.getByText(/Shipped with Japan Post on .*, tracking number EJ123456789JP\./).waitFor();
    await waitForHydration(backer);
    await shot(backer, "rewards-backer-shipped");
    await backer.getByRole("button", { name: "I received it" }).click();
    await backer.getByText("Thank you: the creator can see you received it.").waitFor();
    await expectAccessible(backer);

    // The project's public record now counts a reward confirmed received.
    await visitor.reload();
    await visitor
      .getByText(/Rewards confirmed received: 1 of 1 \(100%\)/)
      .first()
      .waitFor();
    await shot(visitor, "rewards-delivery-record");
  });
});
