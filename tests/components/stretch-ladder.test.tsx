// @vitest-environment jsdom
import { render, screen, within } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { StretchLadder, type StretchGoalData } from "~/components/stretch-ladder";
import type { Locale } from "~/domain/locale";
import { i18nFor } from "~/i18n";

// The stretch goal ladder as a reader meets it on the project page, in Spanish and in English:
// a list whose every goal says in words whether it is reached (and when), next or ahead, the
// amounts and dates in the page's language, and where the total stands.

/** Testing Library folds every space, the no-break one es-ES puts before "€" included. */
const nb = (text: string) => text.replace(/\u00a0/g, " ");

const goals: StretchGoalData[] = [
  {
    id: "g1",
    title: "Mapa plegable",
    description: "Un mapa de las rutas, plegado en el bolsillo trasero.",
    amount: 150_000,
    reachedAt: "2026-12-01T10:00:00.000Z",
  },
  { id: "g2", title: "Diez láminas más", description: "", amount: 200_000, reachedAt: null },
  { id: "g3", title: "Tapa de tela", description: "", amount: 300_000, reachedAt: null },
];

function renderLadder(locale: Locale, { open = true, pledged = 175_000 } = {}) {
  return render(
    <I18nextProvider i18n={i18nFor(locale)}>
      <StretchLadder goals={goals} goalAmount={100_000} pledgedAmount={pledged} currency="eur" open={open} lang="es" />
    </I18nextProvider>,
  );
}

describe("the stretch goal ladder", () => {
  it("reads in Spanish: each goal's state in words, es-ES money and a Spanish date", () => {
    renderLadder("es");
    const section = screen.getByRole("region", { name: "Objetivos adicionales" });
    expect(
      within(section).getByText(
        nb("Recaudado hasta ahora: 1.750,00\u00a0€ — faltan 250,00\u00a0€ para el siguiente objetivo"),
      ),
    ).toBeInTheDocument();
    expect(
      within(section).getByRole("progressbar", {
        // Accessible names keep the no-break space.
        name: "50 % del camino hasta el siguiente objetivo, 2.000,00\u00a0€",
      }),
    ).toBeInTheDocument();
    const items = within(section).getAllByRole("listitem");
    expect(items.map((li) => within(li).getByRole("heading").textContent)).toEqual([
      "Mapa plegable",
      "Diez láminas más",
      "Tapa de tela",
    ]);
    expect(within(items[0]!).getByText(nb("1.500,00\u00a0€"))).toBeInTheDocument();
    expect(items[0]).toHaveTextContent("Alcanzado el 1 de diciembre de 2026");
    expect(within(items[0]!).getByText("1 de diciembre de 2026").tagName).toBe("TIME");
    expect(items[0]).toHaveTextContent("Un mapa de las rutas, plegado en el bolsillo trasero.");
    expect(items[1]).toHaveTextContent(nb("Siguiente objetivo: faltan 250,00\u00a0€"));
    expect(items[2]).toHaveTextContent("Aún no alcanzado");
  });

  it("reads in English, and says so when every goal is reached or the campaign has ended", () => {
    const { unmount } = renderLadder("en");
    const section = screen.getByRole("region", { name: "Stretch goals" });
    expect(within(section).getByText("Raised so far: €1,750.00 — €250.00 to the next goal")).toBeInTheDocument();
    const items = within(section).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("€1,500.00");
    expect(items[0]).toHaveTextContent("Reached on 1 December 2026");
    expect(items[1]).toHaveTextContent("Next goal: €250.00 to go");
    expect(items[2]).toHaveTextContent("Not reached yet");
    // The goals are the campaign's words, in its language.
    expect(within(items[0]!).getByRole("heading", { name: "Mapa plegable" })).toHaveAttribute("lang", "es");
    unmount();

    // Ended: where the total stands, no way to a next goal, nothing "next".
    const ended = renderLadder("en", { open: false });
    expect(screen.getByText("Raised: €1,750.00")).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getAllByText("Not reached yet")).toHaveLength(2);
    ended.unmount();
  });
});
