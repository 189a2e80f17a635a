import type { Catalogue } from "../en";

// El dinero después de un pago: transferencias que esperan o que Stripe rechaza, reembolsos
// recuperados del creador y lo que el creador debe.
export const recovery: Catalogue["recovery"] = {
  payout: {
    waitingForFunds:
      "Aprobado. Los fondos de la campaña aún no están disponibles en Stripe, así que la transferencia espera y se reintenta sola.",
    refused: "Stripe rechazó la transferencia: {{message}} El pago queda como fallido; corrige la causa y reinténtalo.",
    waitingNote: "A la espera de fondos en Stripe; se reintenta sola después de {{when}}.",
    failedNote: "Stripe rechazó la transferencia: {{message}}",
  },
  refund: {
    afterPayout:
      "El dinero de esta aportación ya se pagó al creador. Un reembolso se recupera de la transferencia al creador; lo que Stripe no pueda recuperar lo debe el creador y se descuenta de su próximo pago.",
    recovered: "Se recuperaron {{amount}} de la transferencia al creador ({{reversal}}).",
    owed: "No se pudieron recuperar {{amount}} de la transferencia al creador: el creador los debe.",
    pending: "Recuperando el reembolso de la transferencia al creador; termina en un momento.",
  },
  statement: {
    title: "Después del pago",
    lead: "Dinero que se movió después de cerrar el estado de cuenta.",
    refunded: "Reembolsado después del pago",
    recovered: "Recuperado del creador",
    netted: "Descontado de un pago posterior",
    owed: "Adeudado por el creador",
    none: "No se movió nada después del pago.",
    recoveriesTitle: "Recuperaciones",
    columns: { refund: "Reembolso", amount: "Importe", recovered: "Recuperado", status: "Estado", when: "Cuándo" },
    status: {
      pending: "en curso",
      reversed: "recuperado",
      owed: "adeudado",
      netted: "descontado",
      cancelled: "anulada (el reembolso falló)",
    },
  },
  plan: {
    credited:
      "Más {{amount}} que aún se deben al creador tras un pago anterior (un reembolso que falló después de recuperarse).",
    recoveryPending:
      "Se está recuperando un reembolso de una transferencia anterior a este creador; espera un momento.",
    netted: "Menos {{amount}} que el creador debe por reembolsos posteriores a pagos anteriores.",
  },
};
