// @vitest-environment jsdom
import { createRemixStub } from "@remix-run/testing";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { i18nFor } from "~/i18n";
import FinanceOverview from "~/routes/finance._index";
import { RefundForm } from "~/routes/finance.pledges.$id/refund-form";

const inSpanish = (children: ReactNode) => <I18nextProvider i18n={i18nFor("es")}>{children}</I18nextProvider>;

/** Two settled euro campaigns ready for a payout, as the desk's loader answers them in Spanish. */
function desk() {
  const row = (id: string, title: string, collected: number) => ({
    id,
    title,
    creator: "Cora Creator",
    decision: "funded",
    decidedAt: "2026-12-01T18:00:00.000Z",
    stage: "awaiting_payout",
    step: "ready",
    next: "Lista para preparar",
    currency: "eur",
    raw: { pledged: collected, collected, out: 0, fees: 100, due: collected - 100, paid: 0 },
    pledged: "—",
    pledges: 2,
    collected: "—",
    refundsDisputes: "—",
    fees: "—",
    payout: "—",
    balanced: true,
    hasAccount: true,
    payoutStatus: null,
  });
  return {
    campaigns: [row("c1", "<b>Tetera</b> solar", 123_450), row("c2", "Bici", 10_000)],
    alerts: {
      lastRun: null,
      disputes: [],
      stuckRefunds: [],
      awaitingApproval: [{ id: "c1", title: "<b>Tetera</b> solar", payout: "1.000,00\u00a0€" }],
      noAccount: [],
      unbalanced: [],
    },
  };
}

describe("the finance desk in Spanish", () => {
  it("renders its headings, totals in es-ES money and dates, and keeps names as text", async () => {
    const Stub = createRemixStub([{ path: "/finance", Component: FinanceOverview, loader: () => desk() }]);
    render(inSpanish(<Stub initialEntries={["/finance"]} />));
    expect(await screen.findByRole("heading", { level: 1, name: "Panel de finanzas" })).toBeInTheDocument();
    expect(screen.getByText("2 campañas liquidadas · importes en la moneda de cada campaña")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "Pendientes de pago al creador" })).toBeInTheDocument();
    expect(screen.getByText("Total (EUR)")).toBeInTheDocument();
    // The footer adds the rows up in the page's language: 1.234,50 € + 100,00 € collected, less fees.
    expect(screen.getAllByText("1.334,50 €")).toHaveLength(2);
    expect(screen.getByText("1.332,50 €")).toBeInTheDocument();
    expect(screen.getAllByText("1 dic 2026, 18:00")).toHaveLength(2);
    expect(screen.getByText("La conciliación no se ha ejecutado nunca.")).toBeInTheDocument();
    // A campaign's title inside a translated sentence stays text, never markup.
    const alert = screen.getByText(/espera la aprobación de otra persona de finanzas/);
    expect(alert).toHaveTextContent("<b>Tetera</b> solar: el pago al creador de 1.000,00 € espera");
    expect(alert.querySelector("b")).toBeNull();
    expect(alert.querySelector("strong")).toHaveTextContent("1.000,00 €");
  });

  it("still renders in English", async () => {
    const Stub = createRemixStub([{ path: "/finance", Component: FinanceOverview, loader: () => desk() }]);
    render(<Stub initialEntries={["/finance"]} />);
    expect(await screen.findByRole("heading", { level: 1, name: "Finance desk" })).toBeInTheDocument();
    expect(screen.getByText("€1,332.50")).toBeInTheDocument();
    expect(screen.getAllByText("1 Dec 2026, 18:00")).toHaveLength(2);
    expect(screen.getByText("Reconciliation has never run.")).toBeInTheDocument();
  });
});

describe("the refund form in Spanish", () => {
  function Refund() {
    return (
      <RefundForm
        currency="eur"
        refundable={5_000}
        refundableText={"50,00\u00a0€"}
        refundableInput="50,00"
        requestKey="6f1c7c52-3c55-4d3e-9d7e-2c1b9f1d7a10"
        actionData={undefined}
      />
    );
  }

  it("shows its mistakes in Spanish at the field before anything is sent, and accepts a decimal comma", async () => {
    const action = vi.fn(() => null);
    const Stub = createRemixStub([{ path: "/refund", Component: Refund, action }]);
    render(inSpanish(<Stub initialEntries={["/refund"]} />));
    const user = userEvent.setup();
    const amount = await screen.findByLabelText("Importe (EUR)");
    expect(amount).toHaveValue("50,00");
    expect(screen.getByText(/Se pueden reembolsar hasta 50,00\s€/)).toBeInTheDocument();

    await user.clear(amount);
    await user.type(amount, "50,01");
    await user.type(screen.getByLabelText("Motivo (para el registro de auditoría)"), "No");
    await user.click(screen.getByRole("button", { name: "Reembolsar" }));
    expect(amount).toHaveAttribute("aria-invalid", "true");
    expect(amount).toHaveAccessibleDescription(
      /Se pueden reembolsar como máximo 50,00\s€ \(lo cobrado menos lo ya reembolsado\)\./,
    );
    expect(screen.getByLabelText("Motivo (para el registro de auditoría)")).toHaveAccessibleDescription(
      /Indica un motivo \(al menos 3 caracteres\)/,
    );
    expect(action).not.toHaveBeenCalled();

    await user.clear(amount);
    await user.type(amount, "12,5");
    await user.type(screen.getByLabelText("Motivo (para el registro de auditoría)"), " llegó roto");
    await waitFor(() => expect(amount).not.toHaveAttribute("aria-invalid"));
    await user.click(screen.getByRole("button", { name: "Reembolsar" }));
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
  });
});
