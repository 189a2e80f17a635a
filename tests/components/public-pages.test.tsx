// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { CampaignCard, type CampaignCardData } from "~/components/campaign-card";
import { FundingChart } from "~/components/funding-chart";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";
import HomePage, { meta as homeMeta } from "~/routes/_index";
import DiscoverPage, { meta as discoverMeta } from "~/routes/discover";
import ProjectPage, { meta as projectMeta } from "~/routes/projects.$slug";
import PledgePage, { meta as pledgeMeta } from "~/routes/projects.$slug_.pledge";

// The public pages rendered in each language from fixed loader data: words from the catalogue,
// money and dates from the formatters of the page's language.

const NOW = "2026-11-25T12:00:00.000Z";
const DEADLINE = "2026-12-04T18:00:00.000Z";

const inLanguage = (locale: Locale, children: ReactNode) => (
  <I18nextProvider i18n={i18nFor(locale)}>{children}</I18nextProvider>
);

const card: CampaignCardData = {
  id: "c1",
  slug: "lumen",
  title: "Lumen solar lantern",
  blurb: "Light for the monsoon.",
  category: "technology",
  coverUrl: null,
  coverAlt: "",
  goalAmount: 1_000_000,
  pledgedAmount: 125_000,
  backerCount: 1234,
  currency: "usd",
  deadline: DEADLINE,
  endedAt: null,
  state: "live",
  creatorName: "Ana",
  language: "en",
};

const projectData = {
  polls: [],
  stretchGoals: [],
  now: NOW,
  alternates: [],
  viewer: { signedIn: false, isCreator: false, isBacker: false },
  campaign: {
    ...card,
    launchedAt: "2026-11-01T00:00:00.000Z",
    fundingModel: "all_or_nothing",
    collection: "at_deadline",
    storyHtml: "<p>Story</p>",
  },
  tiers: [
    {
      id: "t1",
      title: "Early bird lantern",
      description: "One lantern.",
      minimumAmount: 2_500,
      quantityLimit: 10,
      claimedCount: 9,
      estimatedDelivery: "2027-03-01",
      ships: true,
      shipping: [
        { destination: "US", amount: 0 },
        { destination: "ROW", amount: 2_500 },
      ],
    },
  ],
  updates: [{ id: "u1", title: "Rain chamber", createdAt: NOW, authorName: "Ana", locked: true, html: "" }],
  faq: [{ id: "f1", question: "When does it ship?", answerHtml: "<p>In <strong>March</strong>.</p>" }],
  share: { url: "https://colecta.example/projects/lumen", image: null, description: "Light" },
};

function renderProject(locale: Locale) {
  const Stub = createRemixStub([{ path: "/projects/:slug", Component: ProjectPage, loader: () => projectData }]);
  return render(inLanguage(locale, <Stub initialEntries={["/projects/lumen"]} />));
}

describe("the project page", () => {
  it("speaks Spanish, with Spanish money, dates and plurals", async () => {
    renderProject("es");
    expect(await screen.findByText("1.250,00 US$")).toBeInTheDocument();
    expect(screen.getByText("aportados de un objetivo de 10.000,00 US$")).toBeInTheDocument();
    expect(screen.getByText("Tecnología")).toBeInTheDocument();
    expect(screen.getByText("por Ana")).toBeInTheDocument();
    expect(screen.getByText("1.234")).toBeInTheDocument();
    expect(screen.getByText("patrocinadores")).toBeInTheDocument();
    expect(screen.getByText("9 días")).toBeInTheDocument();
    expect(screen.getByText(/^Termina el/)).toHaveTextContent("Termina el viernes, 4 de diciembre de 2026, 18:00 UTC");
    expect(
      screen.getByText("Solo se te cobrará si este proyecto alcanza su objetivo, el 4 de diciembre de 2026."),
    ).toBeInTheDocument();
    expect(screen.getByText("Todo o nada", { exact: false })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Recompensas" })).toBeInTheDocument();
    expect(screen.getByText("Queda 1 de 10")).toBeInTheDocument();
    expect(screen.getByText("marzo de 2027")).toBeInTheDocument();
    expect(screen.getByText("EE. UU.: gratis, Resto del mundo: 25,00 US$")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /con Early bird lantern/ })).toHaveTextContent(
      "Apoyar este proyecto con Early bird lantern",
    );
    expect(screen.getByRole("link", { name: "Apoya este proyecto" })).toHaveAttribute("href", "#rewards");
    expect(screen.getByText(/Esta novedad es solo para patrocinadores/)).toHaveTextContent(
      "Esta novedad es solo para patrocinadores. Apoya este proyecto para leerla.",
    );
    expect(screen.getByRole("heading", { name: "Preguntas frecuentes" })).toBeInTheDocument();
    expect(screen.getByText("When does it ship?")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Pregunta al creador" })).toHaveAttribute(
      "href",
      "/messages/new?campaign=lumen",
    );
    expect(screen.getByRole("progressbar")).toHaveAccessibleName("12 % del objetivo aportado");
  });

  it("still speaks English as before", async () => {
    renderProject("en");
    expect(await screen.findByText("$1,250.00")).toBeInTheDocument();
    expect(screen.getByText("pledged of $10,000.00 goal")).toBeInTheDocument();
    expect(screen.getByText("by Ana")).toBeInTheDocument();
    expect(screen.getByText("9 days")).toBeInTheDocument();
    expect(screen.getByText(/^Ends/)).toHaveTextContent("Ends Friday, 4 December 2026 at 18:00 UTC");
    expect(
      screen.getByText("You'll be charged only if this project reaches its goal, on 4 December 2026."),
    ).toBeInTheDocument();
    expect(screen.getByText("1 left of 10")).toBeInTheDocument();
    expect(screen.getByText("US free, Rest of world $25.00")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /with Early bird lantern/ })).toHaveTextContent(
      "Back this project with Early bird lantern",
    );
    expect(screen.getByText(/This update is for backers only/)).toHaveTextContent(
      "This update is for backers only. Back this project to read it.",
    );
  });
});

describe("the campaign card and the funding chart", () => {
  it("show Spanish words, amounts and days", async () => {
    const Both = () => (
      <>
        <CampaignCard campaign={card} now={NOW} />
        <FundingChart
          points={[
            { day: "2026-11-01", total: 50_000, amount: 50_000, pledges: 3 },
            { day: "2026-11-02", total: 125_000, amount: 75_000, pledges: 4 },
          ]}
          goal={1_000_000}
          currency="eur"
        />
      </>
    );
    const Stub = createRemixStub([{ path: "/", Component: Both }]);
    render(inLanguage("es", <Stub />));
    expect(await screen.findByText("1.234 patrocinadores")).toBeInTheDocument();
    expect(screen.getByText("Quedan 9 días")).toBeInTheDocument();
    expect(screen.getByText("12 %")).toBeInTheDocument();
    expect(screen.getByRole("progressbar")).toHaveAccessibleName("12 % financiado");
    expect(screen.getByText("Ver los datos en una tabla")).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "Aportado ese día" })).toBeInTheDocument();
    expect(screen.getByText("750,00 €").tagName).toBe("TD");
    expect(document.querySelector("desc")).toHaveTextContent(
      "2 días, del 1 nov al 2 nov. Aportado hasta ahora: 1.250,00 € de un objetivo de 10.000,00 € (12 %).",
    );
    expect(document.querySelector("svg title")).toHaveTextContent("Financiación a lo largo del tiempo");
  });
});

describe("discover", () => {
  it("counts, filters and sorts in Spanish", async () => {
    const data = {
      now: NOW,
      alternates: [],
      params: { q: "solar", category: "design", state: "live", sort: "relevance", sortChosen: false, cursor: null },
      campaigns: [card],
      total: 1234,
      nextHref: null,
      firstHref: null,
    };
    const Stub = createRemixStub([{ path: "/discover", Component: DiscoverPage, loader: () => data }]);
    render(inLanguage("es", <Stub initialEntries={["/discover?q=solar&category=design"]} />));
    const summary = await screen.findByText(/proyectos para/);
    expect(summary.closest("p")).toHaveTextContent("1.234 proyectos para «solar» en Diseño · abiertos a aportaciones");
    expect(within(summary.closest("p")!).getByText("1.234").tagName).toBe("STRONG");
    expect(screen.getByRole("option", { name: "Más relevantes" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Comida y bebida" })).toBeInTheDocument();
    expect(screen.getByLabelText("Ordenar por")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Quitar filtros" })).toBeInTheDocument();
  });
});

describe("discover's summary", () => {
  it("shows a search with markup in it as the words typed", async () => {
    const data = {
      now: NOW,
      alternates: [],
      params: {
        q: "<strong>x</strong> & y",
        category: null,
        state: "all",
        sort: "relevance",
        sortChosen: false,
        cursor: null,
      },
      campaigns: [card],
      total: 1,
      nextHref: null,
      firstHref: null,
    };
    const Stub = createRemixStub([{ path: "/discover", Component: DiscoverPage, loader: () => data }]);
    render(inLanguage("en", <Stub initialEntries={["/discover"]} />));
    const summary = (await screen.findByText(/project matching/)).closest("p")!;
    expect(summary).toHaveTextContent("1 project matching “<strong>x</strong> & y” · all projects");
    expect(summary.querySelectorAll("strong")).toHaveLength(1);
  });
});

describe("the pledge form", () => {
  const pledgeData = {
    campaign: {
      slug: "lumen",
      title: "Lumen",
      creatorName: "Ana",
      currency: "eur",
      deadline: DEADLINE,
      fundingModel: "all_or_nothing",
      collection: "at_deadline",
      open: true,
      isOwn: false,
    },
    tiers: [
      {
        id: "00000000-0000-4000-8000-000000000001",
        title: "Early bird",
        description: null,
        minimum_amount: 2_500,
        ships: true,
        shipping: [{ destination: "EU", amount: 500 }],
        left: 3,
      },
    ],
    addOns: [],
    choice: { tier: "", amount: "", destination: "", addOns: {} },
    cancelled: false,
    signedIn: true,
    existingPledgeId: null,
  };

  it("reads the amount with a decimal comma, totals it in euros, and says what is missing in Spanish", async () => {
    const action = vi.fn(() => null);
    const Stub = createRemixStub([
      { path: "/projects/:slug/pledge", Component: PledgePage, loader: () => pledgeData, action },
    ]);
    render(inLanguage("es", <Stub initialEntries={["/projects/lumen/pledge"]} />));
    const amount = await screen.findByLabelText("Importe de la aportación (EUR)");
    expect(amount).toHaveValue("25,00");
    expect(amount).toHaveAccessibleDescription(/Al menos 25,00\s€/);
    expect(screen.getByText("Quedan 3 · Se envía a tu dirección")).toBeInTheDocument();
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText("Enviar a"), "EU");
    await user.clear(amount);
    await user.type(amount, "30,50");
    expect(screen.getByText("35,50 €")).toBeInTheDocument();
    expect(screen.getByText("30,50 € de aportación + 5,00 € de envío")).toBeInTheDocument();
    expect(screen.getByText(/La campaña termina el viernes, 4 de diciembre de 2026/)).toBeInTheDocument();

    await user.clear(amount);
    await user.click(screen.getByRole("button", { name: "Continuar a la página de pago segura" }));
    await waitFor(() => expect(amount).toHaveAccessibleDescription(/Introduce el importe de tu aportación/));
    expect(action).not.toHaveBeenCalled();
  });
});

describe("the home page", () => {
  it("speaks Spanish, sections and cards alike", async () => {
    const data = { now: NOW, alternates: [], featured: [card], trending: [], endingSoon: [], recentlyFunded: [] };
    const Stub = createRemixStub([{ path: "/", Component: HomePage, loader: () => data }]);
    render(inLanguage("es", <Stub />));
    expect(
      await screen.findByRole("heading", { name: "Apoya las ideas que quieres ver hechas realidad." }),
    ).toBeVisible();
    expect(screen.getByRole("heading", { name: "Proyectos destacados" })).toBeInTheDocument();
    expect(screen.getByText("Ningún proyecto abierto está cerca de su fecha límite.")).toBeInTheDocument();
    expect(screen.getByPlaceholderText("Busca proyectos, p. ej. farol solar")).toBeInTheDocument();
    expect(screen.getByRole("list", { name: "Cómo funciona apoyar un proyecto" })).toBeInTheDocument();
    expect(screen.getByText("1.234 patrocinadores")).toBeInTheDocument();
  });
});

describe("the pages' meta", () => {
  const matches = (locale: Locale) => [{ id: "root", data: { locale } }];
  type MetaArgs = Parameters<typeof homeMeta>[0];
  const args = (locale: Locale, data: unknown) => ({ data, matches: matches(locale) }) as unknown as MetaArgs;
  const alternates = [
    { hrefLang: "en", href: "https://colecta.example/?lang=en" },
    { hrefLang: "es", href: "https://colecta.example/?lang=es" },
    { hrefLang: "x-default", href: "https://colecta.example/" },
  ];

  it("titles and describes each page in the reader's language, with its alternates", () => {
    const home = homeMeta(args("es", { alternates }));
    expect(home).toContainEqual({ title: "Colecta: apoya los proyectos en los que crees" });
    expect(home).toContainEqual({ tagName: "link", rel: "alternate", hrefLang: "es", href: alternates[1]!.href });
    expect(home).toContainEqual({
      tagName: "link",
      rel: "alternate",
      hrefLang: "x-default",
      href: alternates[2]!.href,
    });
    expect(homeMeta(args("en", { alternates }))).toContainEqual({
      title: "Colecta — back the projects you believe in",
    });
    expect(discoverMeta(args("es", { params: { q: "farol" }, alternates }) as never)).toContainEqual({
      title: "«farol» · Descubre proyectos · Colecta",
    });
    expect(projectMeta(args("es", undefined) as never)).toEqual([{ title: "Proyecto no encontrado · Colecta" }]);
    expect(pledgeMeta(args("es", { campaign: { title: "Lumen" } }) as never)).toEqual([
      { title: "Apoya Lumen · Colecta" },
    ]);
    expect(pledgeMeta(args("en", { campaign: { title: "Lumen" } }) as never)).toEqual([
      { title: "Back Lumen · Colecta" },
    ]);
  });
});
