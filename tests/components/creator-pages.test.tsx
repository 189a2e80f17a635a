// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/react";
import { createRemixStub } from "@remix-run/testing";
import { I18nextProvider } from "react-i18next";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";
import CreatorHome from "~/routes/creator._index";
import CampaignDashboard from "~/routes/creator.campaigns.$id._index";
import UpdatesPage from "~/routes/creator.campaigns.$id.updates";

// The creator's pages as a reader sees them, in Spanish and in English. The loaders' data is
// given here as each loader would build it for that language (see tests/routes/creator-routes).

const ID = "00000000-0000-4000-8000-000000000001";
/** Testing Library folds every space, the no-break one es-ES puts before "€" included. */
const nb = (text: string) => text.replace(/\u00a0/g, " ");

function renderIn(locale: Locale, path: string, Component: () => JSX.Element, data: object) {
  const Stub = createRemixStub([{ path, Component, loader: () => data, action: () => null }]);
  return render(
    <I18nextProvider i18n={i18nFor(locale)}>
      <Stub initialEntries={[path.replace(":id", ID)]} />
    </I18nextProvider>,
  );
}

const home = (pledged: string, goal: string) => ({
  campaigns: [
    {
      id: ID,
      title: "Lámparas de Triana",
      state: "live",
      pledged,
      goal,
      percent: 24,
      backers: 3,
      deadline: "2030-03-14T18:00:00.000Z",
      durationDays: 30,
      coverUrl: null,
    },
  ],
});

const dashboard = {
  campaign: {
    id: ID,
    state: "live",
    currency: "eur",
    goalAmount: 500_000,
    pledged: "1.234,56\u00a0€",
    goal: "5.000,00\u00a0€",
    percent: 24,
    backers: 1,
    average: "1.234,56\u00a0€",
    deadline: "14 mar 2030, 18:00 UTC",
    daysLeft: 1,
    launchedAt: "12 feb 2030",
    fundingModel: "Todo o nada",
    collection: "Cobro en la fecha límite",
  },
  checklistMissing: null,
  tiers: [],
  points: [{ day: "2030-02-12", total: 123_456, amount: 123_456, pledges: 1 }],
  projection: {
    expected: "2.000,00\u00a0€",
    low: "1.500,00\u00a0€",
    high: "2.500,00\u00a0€",
    dailyRate: "40,00\u00a0€",
    basisDays: 2,
    confidence: "low",
    reachesGoal: "unlikely",
  },
  recent: [],
  stretchToAnnounce: [],
};

describe("the creator's pages in Spanish", () => {
  it("lists the campaigns with es-ES money and Spanish dates and labels", async () => {
    renderIn("es", "/creator", CreatorHome, home("1.234,56\u00a0€", "5.000,00\u00a0€"));
    expect(await screen.findByRole("heading", { level: 1, name: "Tus campañas" })).toBeInTheDocument();
    expect(screen.getByText(nb("1.234,56\u00a0€"))).toBeInTheDocument();
    expect(screen.getByText(nb("de 5.000,00\u00a0€"))).toBeInTheDocument();
    expect(screen.getByText("En curso")).toBeInTheDocument();
    expect(screen.getByText("Fecha límite")).toBeInTheDocument();
    expect(screen.getByText("14 mar 2030")).toBeInTheDocument();
    expect(screen.getByRole("meter", { name: "24 % del objetivo" })).toBeInTheDocument();
  });

  it("shows the campaign dashboard in Spanish, with the projection's sentence whole", async () => {
    renderIn("es", "/creator/campaigns/:id", CampaignDashboard, dashboard);
    expect(await screen.findByText("Recaudado")).toBeInTheDocument();
    expect(screen.getByText(nb("24 % de 5.000,00\u00a0€"))).toBeInTheDocument();
    expect(screen.getByText(nb("Aportación media: 1.234,56\u00a0€"))).toBeInTheDocument();
    expect(screen.getByText("1 día")).toBeInTheDocument();
    expect(screen.getByText("Termina el 14 mar 2030, 18:00 UTC")).toBeInTheDocument();
    expect(screen.getByText(/Total final probable: entre/)).toHaveTextContent(
      nb("Total final probable: entre 1.500,00\u00a0€ y 2.500,00\u00a0€. A este ritmo no llegarías a tu objetivo."),
    );
    expect(screen.getByText(/Cómo se calcula/)).toHaveTextContent(/últimos 2 días \(40,00\s€ al día/);
    expect(screen.getByRole("link", { name: "Exportar patrocinadores (CSV)" })).toBeInTheDocument();
    expect(screen.getByText("Ver los datos en una tabla")).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "Aportado ese día" })).toBeInTheDocument();
    expect(screen.getByRole("rowheader", { name: "12 feb" })).toBeInTheDocument();
    expect(screen.getByText(/^1 día, del 12 feb al 12 feb\. Aportado hasta ahora: 1\.234,56\s€/)).toBeInTheDocument();
  });

  it("checks the update form in Spanish and shows the message at the field", async () => {
    renderIn("es", "/creator/campaigns/:id/updates", UpdatesPage, {
      campaign: { id: ID, state: "live", backers: 3 },
      updates: [],
    });
    const title = await screen.findByLabelText("Título");
    expect(screen.getByText("Se enviará por correo a tus 3 patrocinadores.")).toBeInTheDocument();
    fireEvent.submit(screen.getByRole("button", { name: "Publicar novedad" }).closest("form")!);
    expect(await screen.findByText("Ponle un título a la novedad.")).toBeInTheDocument();
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveAccessibleDescription(/Ponle un título a la novedad\./);
  });
});

describe("the creator's pages in English", () => {
  it("still read as before", async () => {
    renderIn("en", "/creator", CreatorHome, home("€1,234.56", "€5,000.00"));
    expect(await screen.findByRole("heading", { level: 1, name: "Your campaigns" })).toBeInTheDocument();
    expect(screen.getByText("of €5,000.00")).toBeInTheDocument();
    expect(screen.getByText("Live")).toBeInTheDocument();
    expect(screen.getByText("14 Mar 2030")).toBeInTheDocument();
  });
});
