import { renderEmail } from "~/domain/email-render";
import { fundedEmail } from "~/domain/emails";
import { translatorFor } from "~/i18n";

describe("one template gives both parts of an email", () => {
  const content = fundedEmail(translatorFor("es"), "es", {
    backerName: "Bea <b>",
    campaignTitle: "Horno Solar",
    amount: 2_500,
    currency: "eur",
    pledgeUrl: "/me/pledges/p1",
    charged: true,
  });
  const email = renderEmail(content, "https://colecta.example");

  it("writes the text part with absolute links", () => {
    expect(email.bodyText).toContain("Tu aportación: https://colecta.example/me/pledges/p1\n");
  });

  it("writes the HTML part in the recipient's language, with the call to action as an absolute link, escaped", () => {
    expect(email.bodyHtml).toMatch(/^<!doctype html><html lang="es">/);
    expect(email.bodyHtml).toContain('href="https://colecta.example/me/pledges/p1"');
    expect(email.bodyHtml).toContain("Bea &lt;b&gt;");
    expect(email.bodyHtml).not.toContain("<b>");
    expect(email.bodyHtml).not.toContain("<script");
  });
});
