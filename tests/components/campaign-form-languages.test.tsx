// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";
import NewCampaignPage from "~/routes/creator.new";
import LaunchPage from "~/routes/creator.campaigns.$id.launch";
import TiersPage from "~/routes/creator.campaigns.$id.tiers._index";

function renderIn(locale: Locale, route: Parameters<typeof createRemixStub>[0][number], path: string) {
  const Stub = createRemixStub([route]);
  return render(
    <I18nextProvider i18n={i18nFor(locale)}>
      <Stub initialEntries={[path]} />
    </I18nextProvider>,
  );
}

describe("the campaign form in Spanish", () => {
  it("labels every field in Spanish and shows the form's own mistakes there, before anything is sent", async () => {
    const action = vi.fn(() => null);
    renderIn(
      "es",
      { path: "/creator/new", Component: NewCampaignPage, action, loader: () => ({ language: "es" }) },
      "/creator/new",
    );
    expect(await screen.findByRole("heading", { level: 1, name: "Crea una campaña" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Dólar estadounidense (USD)" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Comida y bebida" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /Todo o nada/ })).toBeChecked();
    expect(screen.getByText("## título")).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Guardar el borrador y añadir recompensas" }));
    expect(screen.getByLabelText("Título")).toHaveAccessibleDescription(/Ponle un título a tu campaña\./);
    expect(screen.getByText("Hay campos que revisar. Están marcados más abajo.")).toHaveAttribute("role", "alert");
    expect(screen.getByLabelText("Objetivo de financiación")).toHaveAccessibleDescription(
      /Indica tu objetivo de financiación\./,
    );

    // The goal and the length are checked once the other fields are filled in.
    await user.type(screen.getByLabelText("Título"), "Hervidor solar");
    await user.selectOptions(screen.getByLabelText("Categoría"), "hardware");
    const goal = screen.getByLabelText("Objetivo de financiación");
    await user.type(goal, "mil euros");
    await user.type(screen.getByLabelText("Número de días"), "0");
    await user.click(screen.getByRole("button", { name: "Guardar el borrador y añadir recompensas" }));
    expect(goal).toHaveAccessibleDescription(/Escribe el importe como un número, por ejemplo 25 o 25,50\./);
    expect(screen.getByLabelText("Número de días")).toHaveAccessibleDescription("Elige una duración de 1 a 60 días.");
    expect(action).not.toHaveBeenCalled();

    // "1.500,50" is a goal a Spanish reader types: the form lets it through.
    await user.clear(goal);
    await user.type(goal, "1.500,50");
    expect(goal).not.toHaveAttribute("aria-invalid");
  });

  it("still speaks English by default", async () => {
    renderIn(
      "en",
      { path: "/creator/new", Component: NewCampaignPage, action: () => null, loader: () => ({ language: "en" }) },
      "/creator/new",
    );
    expect(await screen.findByRole("heading", { level: 1, name: "Start a campaign" })).toBeInTheDocument();
    expect(screen.getByLabelText("Funding goal")).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "US dollar (USD)" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /All or nothing/ })).toBeChecked();
  });
});

const tiersData = {
  campaign: { id: "c1", state: "draft", currency: "usd", editable: true },
  tiers: [
    {
      id: "t1",
      title: "Madrugador",
      description: "Un hervidor",
      minimumAmount: 7_950,
      limit: 10,
      claimed: 2,
      remaining: 8,
      deliveryMonth: "2030-09",
      ships: true,
      shippingRates: [
        { destination: "EU", amount: 1_250 },
        { destination: "ROW", amount: 0 },
      ],
      hidden: false,
      pledgeCount: 2,
      canDelete: false,
    },
  ],
};

describe("the rewards page", () => {
  it("formats amounts and months in Spanish", () => {
    renderIn("es", { path: "/tiers", Component: TiersPage, loader: () => tiersData }, "/tiers");
    return screen.findByText("79,50 US$ o más").then(() => {
      const card = screen.getByRole("listitem");
      expect(within(card).getByText("2 de 10 · quedan 8")).toBeInTheDocument();
      expect(within(card).getByText("septiembre de 2030")).toBeInTheDocument();
      expect(within(card).getByText("Unión Europea 12,50 US$ · Resto del mundo gratis")).toBeInTheDocument();
      expect(within(card).getByRole("button", { name: "Subir Madrugador" })).toBeDisabled();
      expect(screen.getByText(/1 recompensa, 1 visibles/)).toBeInTheDocument();
      expect(screen.getByLabelText("Aportación mínima")).toHaveAccessibleDescription("En USD, por ejemplo 25 o 25,50.");
    });
  });

  it("keeps the English page as it was", async () => {
    renderIn("en", { path: "/tiers", Component: TiersPage, loader: () => tiersData }, "/tiers");
    await screen.findByText("$79.50 or more");
    expect(screen.getByText("2 of 10 · 8 left")).toBeInTheDocument();
    expect(screen.getByText("September 2030")).toBeInTheDocument();
    expect(screen.getByText("European Union $12.50 · Rest of world free")).toBeInTheDocument();
  });
});

describe("the launch page in Spanish", () => {
  it("states the terms with Spanish money and dates", async () => {
    const loader = () => ({
      id: "c1",
      ready: false,
      checklist: [
        { key: "tier", label: "Al menos una recompensa visible", done: false, fix: "Añade una.", where: "tiers" },
      ],
      terms: {
        goalAmount: 150_050,
        currency: "eur",
        endsIfLaunchedNow: "2027-04-09T12:00:00.000Z",
        durationDays: 30,
        fundingModel: { value: "all_or_nothing", label: "Todo o nada", explanation: "Solo si llegas." },
        collection: { value: "at_deadline", label: "Cobrar en la fecha límite", explanation: "Al final." },
      },
    });
    renderIn("es", { path: "/launch", Component: LaunchPage, loader }, "/launch");
    await screen.findByText("1.500,50 €");
    expect(screen.getByText("Te falta 1 cosa antes de poder lanzarla.")).toBeInTheDocument();
    expect(screen.getByText(/9 abr 2027, 12:00 UTC si la lanzas ahora/)).toBeInTheDocument();
    expect(screen.getByText("(30 días desde el lanzamiento)")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Añadir una recompensa" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Lanzar la campaña" })).toBeDisabled();
  });
});
