// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";
import PledgeSurvey from "~/routes/me.pledges.$id_.survey";
import SurveyBuilder from "~/routes/creator.campaigns.$id.survey";
import PledgeDetail from "~/routes/me.pledges.$id";

// The survey's pages as a reader sees them: the backer's form in their language with address
// fields that follow the country, sold-out options that can't be picked, read-only after the
// lock; the creator's builder with its preview and answers; the banner on the pledge page.

const pledgeId = "00000000-0000-4000-8000-000000000001";
const sizeId = "00000000-0000-4000-8000-0000000000b1";
const formData = {
  pledgeId,
  campaignTitle: "Lámparas de Triana",
  campaignSlug: "lamparas",
  tierTitle: "Lámpara",
  addOns: [{ title: "Pantalla de lino", quantity: 2 }],
  intro: "",
  lockAt: "2030-03-01T23:59:59.000Z",
  window: { open: true, until: "2030-03-01T23:59:59.000Z", unlocked: false },
  questions: [
    {
      id: "00000000-0000-4000-8000-0000000000a1",
      kind: "address",
      prompt: "Dirección",
      help: "",
      required: true,
      options: [],
    },
    {
      id: sizeId,
      kind: "single",
      prompt: "Talla",
      help: "",
      required: true,
      options: [
        { id: "00000000-0000-4000-8000-0000000000c1", label: "S", soldOut: true },
        { id: "00000000-0000-4000-8000-0000000000c2", label: "M", soldOut: false },
      ],
    },
  ],
  values: { addr_country: "US" },
  countries: [
    { value: "CA", label: "Canadá" },
    { value: "US", label: "Estados Unidos" },
  ],
  paidFor: "Estados Unidos",
};

function renderAt(locale: Locale, path: string, url: string, Component: () => JSX.Element, data: unknown) {
  const Stub = createRemixStub([{ path, Component, loader: () => data as object }]);
  return render(
    <I18nextProvider i18n={i18nFor(locale)}>
      <Stub initialEntries={[url]} />
    </I18nextProvider>,
  );
}

describe("the backer's survey form", () => {
  it("speaks Spanish, asks a US state, and switches the fields when the country changes", async () => {
    renderAt("es", "/me/pledges/:id/survey", `/me/pledges/${pledgeId}/survey`, PledgeSurvey, formData);
    expect(await screen.findByRole("heading", { level: 1, name: "Tu encuesta de Lámparas de Triana" })).toBeVisible();
    expect(screen.getByText("Puedes cambiar tus respuestas hasta el 1 de marzo de 2030.")).toBeVisible();
    expect(screen.getByText("Pagaste el envío a Estados Unidos.")).toBeVisible();
    expect(screen.getByText("Con tu recompensa llegan tus complementos: 2 × Pantalla de lino.")).toBeVisible();
    expect(screen.getByLabelText("Estado")).toHaveProperty("tagName", "SELECT");
    expect(screen.getByLabelText("Código ZIP")).toBeInTheDocument();
    expect(screen.getByLabelText("S (agotada)")).toBeDisabled();
    expect(screen.getByLabelText("M")).toBeEnabled();
    fireEvent.change(screen.getByLabelText("País"), { target: { value: "CA" } });
    expect(screen.getByLabelText("Provincia")).toHaveProperty("tagName", "SELECT");
    expect(within(screen.getByLabelText("Provincia")).getByRole("option", { name: "Ontario" })).toBeInTheDocument();
    expect(screen.getByText("Por ejemplo K1A 0B1.")).toBeInTheDocument();
  });

  it("is read-only after the lock, with the reason and a way to reach the creator", async () => {
    renderAt("en", "/me/pledges/:id/survey", `/me/pledges/${pledgeId}/survey`, PledgeSurvey, {
      ...formData,
      window: { open: false, until: null, unlocked: false },
    });
    expect(await screen.findByText(/Answers locked on 1 March 2030/)).toBeVisible();
    expect(screen.getByRole("link", { name: "Message the creator" })).toHaveAttribute(
      "href",
      "/messages/new?campaign=lamparas",
    );
    expect(screen.getByLabelText("M")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save my answers" })).toBeNull();
  });
});

describe("the creator's builder", () => {
  const tierId = "00000000-0000-4000-8000-0000000000aa";
  const page = {
    campaignId: "00000000-0000-4000-8000-0000000000ff",
    allowed: true,
    survey: { id: "s", state: "sent", lockAt: "2020-03-01T23:59:59.000Z", sentAt: "2020-02-01T10:00:00.000Z" },
    locked: true,
    tiers: [{ id: tierId, title: "Lamp", ships: true }],
    questions: [
      {
        ...formData.questions[1],
        prompt: "Size",
        allTiers: true,
        tierIds: [],
        tiersText: "every tier",
        options: [
          { id: "o1", label: "S", stockLimit: 10, takenCount: 10 },
          { id: "o2", label: "M", stockLimit: 20, takenCount: 5 },
        ],
      },
    ],
    editing: null,
    preview: { tierId, tierTitle: "Lamp", questions: [formData.questions[1]], values: {}, countries: [] },
    counts: { owed: 2, answered: 1 },
    progress: [
      {
        pledgeId: "p1",
        backerName: "Ana",
        tierTitle: "Lamp",
        submittedAt: "2020-02-02T10:00:00.000Z",
        unlockedUntil: null,
        remindersSent: 0,
      },
      {
        pledgeId: "p2",
        backerName: "Ben",
        tierTitle: "Lamp",
        submittedAt: null,
        unlockedUntil: null,
        remindersSent: 2,
      },
    ],
  };

  it("lists the questions with stock, previews a tier and shows who answered with a way to reopen", async () => {
    renderAt(
      "en",
      "/creator/campaigns/:id/survey",
      `/creator/campaigns/${page.campaignId}/survey`,
      SurveyBuilder,
      page,
    );
    expect(await screen.findByRole("heading", { name: "Backer survey" })).toBeVisible();
    expect(screen.getByText(/Sold out/)).toBeInTheDocument();
    expect(screen.getByText(/15 of 20 left/)).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Preview as a backer of “Lamp”" })).toBeVisible();
    expect(screen.getByText("1 of 2 backers answered (50%)")).toBeVisible();
    expect(screen.getByText(/2 reminders sent/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reopen the answers of Ben" })).toBeInTheDocument();
    // Sent: no new questions, no send form.
    expect(screen.queryByRole("heading", { name: "Add a question" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Send the survey" })).toBeNull();
  });

  it("offers to start the survey once the campaign may have one, in Spanish", async () => {
    renderAt("es", "/creator/campaigns/:id/survey", `/creator/campaigns/${page.campaignId}/survey`, SurveyBuilder, {
      ...page,
      survey: null,
      questions: [],
      preview: null,
      counts: { owed: 0, answered: 0 },
      progress: [],
    });
    expect(await screen.findByRole("button", { name: "Empezar la encuesta" })).toBeVisible();
  });
});

describe("the banner on the pledge page", () => {
  it("asks for the answers while the survey waits, with the lock date", async () => {
    const { pledgeData } = await import("./survey-pledge-data");
    renderAt("en", "/me/pledges/:id", `/me/pledges/${pledgeId}`, PledgeDetail, {
      ...pledgeData,
      survey: { answered: false, open: true, until: "2030-03-01T23:59:59.000Z" },
    });
    expect(
      await screen.findByRole("heading", { name: "The creator's survey is waiting for your answers" }),
    ).toBeVisible();
    expect(screen.getByText(/until 1 March 2030/)).toBeVisible();
    expect(screen.getByRole("link", { name: "Answer the survey" })).toHaveAttribute(
      "href",
      `/me/pledges/${pledgeId}/survey`,
    );
  });
});
