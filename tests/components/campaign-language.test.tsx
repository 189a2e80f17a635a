// @vitest-environment jsdom
import { render, screen } from "@testing-library/react";
import { createRemixStub } from "@remix-run/testing";
import { I18nextProvider } from "react-i18next";
import { CampaignCard, type CampaignCardData } from "~/components/campaign-card";
import { CampaignForm } from "~/components/campaign-form";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";

// The language a campaign is written in, as the form and the cards show it, in both languages.

const card = (language: "en" | "es"): CampaignCardData => ({
  id: "00000000-0000-4000-8000-000000000001",
  slug: "lamparas",
  title: language === "es" ? "Lámparas de Triana" : "Desk lamps",
  blurb: "…",
  category: "design",
  coverUrl: null,
  coverAlt: "",
  goalAmount: 100_000,
  pledgedAmount: 50_000,
  backerCount: 3,
  currency: "eur",
  deadline: "2030-01-01T00:00:00.000Z",
  endedAt: null,
  state: "live",
  creatorName: "Inés",
  language,
});

function renderIn(locale: Locale, element: JSX.Element) {
  const Stub = createRemixStub([{ path: "/", Component: () => element }]);
  return render(
    <I18nextProvider i18n={i18nFor(locale)}>
      <Stub initialEntries={["/"]} />
    </I18nextProvider>,
  );
}

describe("a campaign's language", () => {
  it("is a select in the campaign form, in the page's language, set to the given default", async () => {
    renderIn("es", <CampaignForm mode="new" defaultValue={{ language: "es" }} submitLabel="Guardar" />);
    const select = (await screen.findByLabelText("Idioma")) as HTMLSelectElement;
    expect(select.value).toBe("es");
    expect([...select.options].map((o) => o.textContent)).toEqual(["Inglés", "Español"]);
    expect(select).toHaveAccessibleDescription(/El idioma en el que escribes tu campaña/);
  });

  it("reads in English on an English page", async () => {
    renderIn("en", <CampaignForm mode="new" defaultValue={{ language: "en" }} submitLabel="Save" />);
    const select = (await screen.findByLabelText("Language")) as HTMLSelectElement;
    expect(select.value).toBe("en");
    expect([...select.options].map((o) => o.textContent)).toEqual(["English", "Spanish"]);
  });

  it("shows on a card only when it is not the page's language", async () => {
    const { unmount } = renderIn("en", <CampaignCard campaign={card("es")} now="2029-12-01T00:00:00.000Z" />);
    expect(await screen.findByText("In Spanish")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Lámparas de Triana" })).toHaveAttribute("lang", "es");
    unmount();

    const again = renderIn("en", <CampaignCard campaign={card("en")} now="2029-12-01T00:00:00.000Z" />);
    await screen.findByRole("heading", { name: "Desk lamps" });
    expect(screen.queryByText(/In (English|Spanish)/)).toBeNull();
    again.unmount();

    renderIn("es", <CampaignCard campaign={card("en")} now="2029-12-01T00:00:00.000Z" />);
    expect(await screen.findByText("En inglés")).toBeInTheDocument();
  });
});
