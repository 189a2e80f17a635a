// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";
import MyPledges from "~/routes/me.pledges._index";
import PledgeDetail from "~/routes/me.pledges.$id";

// The backer's pages render in the page's language: words from the catalogue, money and dates
// from the formatters (es-ES in Spanish), English unchanged.

const pledgeData = {
  thanks: [],
  addOns: [],
  addOnLines: [],
  pledge: {
    id: "00000000-0000-4000-8000-000000000001",
    state: "active",
    currency: "eur",
    amount: 123_450,
    base: 123_450,
    baseInput: "1234.50",
    shipping: null,
    destination: null,
    destinationName: null,
    tierId: "00000000-0000-4000-8000-0000000000aa",
    tierTitle: "Lámpara",
    cardBrand: "visa",
    cardLast4: "4242",
    checkoutUrl: null,
    pledgedOn: "2030-01-02T10:00:00.000Z",
    campaignTitle: "Lámparas de Triana",
    campaignSlug: "lamparas",
    collection: "at_deadline",
    fundingModel: "all_or_nothing",
    deadline: "2030-02-04T18:00:00.000Z",
    editable: true,
  },
  tiers: [{ id: "00000000-0000-4000-8000-0000000000aa", title: "Lámpara", minimum: 2_500, full: false, shipping: [] }],
  movements: [],
  raise: null,
  history: [{ id: "h1", at: "2030-01-02T10:00:00.000Z", changed: false, toState: "active", reason: null }],
};

function renderIn(locale: Locale, path: string, Component: () => JSX.Element, data: unknown) {
  const Stub = createRemixStub([{ path, Component, loader: () => data as object }]);
  return render(
    <I18nextProvider i18n={i18nFor(locale)}>
      <Stub initialEntries={[path.replace(":id", pledgeData.pledge.id)]} />
    </I18nextProvider>,
  );
}

describe("the backer's pledge page", () => {
  it("renders in Spanish with es-ES money and dates", async () => {
    renderIn("es", "/me/pledges/:id", PledgeDetail, pledgeData);
    expect(await screen.findByRole("heading", { level: 1, name: "Tu aportación a Lámparas de Triana" })).toBeVisible();
    expect(screen.getAllByText("Activa")).toHaveLength(2); // the status and the history
    expect(screen.getByText(/Aún no se te ha cobrado nada/)).toHaveTextContent(/4 de febrero de 2030/);
    expect(screen.getAllByText("1.234,50 €").length).toBeGreaterThan(0);
    expect(screen.getByRole("option", { name: "Lámpara — desde 25,00\u00a0€" })).toBeInTheDocument();
    expect(screen.getByLabelText("Importe de la aportación (EUR, sin envío)")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Guardar cambios" })).toBeInTheDocument();
    expect(screen.getByText("VISA •••• 4242")).toBeInTheDocument();
  });

  it("still renders in English", async () => {
    renderIn("en", "/me/pledges/:id", PledgeDetail, pledgeData);
    expect(await screen.findByRole("heading", { level: 1, name: "Your pledge to Lámparas de Triana" })).toBeVisible();
    expect(screen.getAllByText("€1,234.50").length).toBeGreaterThan(0);
    expect(screen.getByText(/Nothing is charged yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save changes" })).toBeInTheDocument();
  });

  it("thanks the backer for an adopted idea with the reward it earned, in their language", async () => {
    const thanks = [
      { ideaId: "00000000-0000-4000-8000-000000000009", ideaTitle: "Un asa de cuero", tierTitle: "Lámpara" },
    ];
    renderIn("es", "/me/pledges/:id", PledgeDetail, { ...pledgeData, thanks });
    expect(
      await screen.findByText("Agradecimiento por tu idea «Un asa de cuero»: recompensa Lámpara, gratis."),
    ).toBeInTheDocument();
  });
});

describe("my pledges", () => {
  it("lists pledges in Spanish, and says so when there are none", async () => {
    const row = {
      id: pledgeData.pledge.id,
      state: "collected",
      amount: 2_500,
      currency: "eur",
      campaignTitle: "Lámparas de Triana",
      campaignSlug: "lamparas",
      tierTitle: null,
      collection: "at_deadline",
      fundingModel: "all_or_nothing",
      deadline: null,
    };
    const { unmount } = renderIn("es", "/me/pledges", MyPledges, { pledges: [row] });
    expect(await screen.findByRole("heading", { level: 1, name: "Mis aportaciones" })).toBeVisible();
    expect(screen.getByText("Cobrada")).toBeInTheDocument();
    expect(screen.getByText("25,00 €")).toBeInTheDocument();
    expect(screen.getByText(/Sin recompensa/)).toBeInTheDocument();
    unmount();
    renderIn("es", "/me/pledges", MyPledges, { pledges: [] });
    expect(await screen.findByText("Aún no has apoyado ningún proyecto")).toBeVisible();
  });
});
