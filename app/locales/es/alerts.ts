import type { Catalogue } from "../en";

// Alertas de finanzas: lo que dice cada tipo en el escritorio y en el correo al equipo de finanzas.
export const alerts: Catalogue["alerts"] = {
  title: "Alertas",
  intro:
    "Dinero que necesita a una persona. Una alerta se cierra sola cuando el problema desaparece, o cuando la resuelves con una nota.",
  empty: "No hay alertas abiertas.",
  severity: { info: "información", warning: "aviso", critical: "crítica" },
  columns: { raised: "Abierta", resolved: "Resuelta", alert: "Alerta", about: "Sobre", action: "Nota" },
  resolve: "Resolver",
  resolveNote: "Nota (qué se hizo)",
  resolved: "Alerta resuelta.",
  resolvedList: "Resueltas hace poco",
  resolvedBy: "Resuelta {{when}} por {{who}}: {{note}}",
  resolvedAuto: "Resuelta {{when}} por el sistema: {{note}}",
  openCount_one: "{{count}} alerta abierta",
  openCount_other: "{{count}} alertas abiertas",
  viewAll: "Ver todas las alertas",
  notFound: "Esa alerta no existe o ya está resuelta.",
  email: {
    subject: "Alerta de finanzas: {{title}}",
    intro: "El escritorio de finanzas tiene una alerta nueva:",
    action: "Abrir las alertas",
  },
  kinds: {
    refund_failed: {
      title: "Reembolso fallido en Stripe",
      body: "Stripe no completó el reembolso {{reference}} de {{amount}} después de aceptarlo. Se anuló su asiento y la aportación se puede volver a reembolsar.",
    },
    settlement_refund_refused: {
      title: "Reembolso de la liquidación rechazado",
      body: "Stripe rechazó el reembolso de {{amount}} de la liquidación: {{message}} Reinténtalo desde la página de la aportación.",
    },
    transfer_failed: {
      title: "Transferencia del pago rechazada",
      body: "Stripe rechazó la transferencia de {{amount}} al creador: {{message}} El pago queda fallido; reinténtalo desde el estado de cuenta de la campaña.",
    },
    payout_waiting_for_funds: {
      title: "Pago a la espera de fondos",
      body: "La transferencia de {{amount}} espera a que Stripe deje disponibles los fondos de la campaña. Se reintenta sola.",
    },
    recovery_failed: {
      title: "Reembolso no recuperado del creador",
      body: "No se pudieron recuperar de la transferencia del creador los {{amount}} reembolsados después del pago ({{message}}). El creador los debe; se descuentan de su próximo pago.",
    },
    dispute_opened: {
      title: "Cargo disputado",
      body: "El banco de un patrocinador disputó {{amount}} ({{reference}}). Las pruebas vencen el {{until}}.",
    },
    dispute_evidence_due: {
      title: "Pruebas de la disputa por vencer",
      body: "Las pruebas de la disputa {{reference}} ({{amount}}) vencen el {{until}} y no se ha enviado ninguna.",
    },
    dispute_won: {
      title: "Disputa ganada",
      body: "Se ganó la disputa {{reference}}: volvieron {{amount}} y quedaron asentados.",
    },
    dispute_lost: {
      title: "Disputa perdida",
      body: "Se perdió la disputa {{reference}}: {{amount}} no se recuperan.",
    },
    reconciliation_mismatch: {
      title: "La conciliación encontró una diferencia",
      body: "{{message}}",
    },
  },
};
