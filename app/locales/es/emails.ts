import type { Catalogue } from "../en";

// Spanish, emails namespace. Spain Spanish, "tú"; a letter opens "Hola, Nombre:".

export const emails: Catalogue["emails"] = {
  checkout: {
    pledge: "Aportación a {{campaign}}",
    pledgeAtDeadline: "Aportación a {{campaign}}: se cobra en la fecha límite si se financia",
    raise: "Aumento de tu aportación a {{campaign}} (nuevo total: {{amount}})",
  },
  greeting: "Hola, {{name}}:",
  yourPledge: "Tu aportación",
  managePledge: "Gestiona tu aportación",
  yourCampaign: "Tu campaña",
  signature: "— Colecta",
  pledgeConfirmed: {
    subject: "Ya apoyas {{campaign}}",
    body: "Gracias por apoyar {{campaign}}. Tu aportación de {{amount}} está confirmada.",
    atDeadline:
      "Tu tarjeta queda guardada en Stripe y solo se cargará según las condiciones del proyecto, en su fecha límite.",
    immediate: "Tu pago se ha completado; te lo reembolsaremos automáticamente si el proyecto no alcanza su objetivo.",
    late: "El proyecto ya está financiado, así que tu pago se ha cobrado ahora. El creador te tendrá al tanto de la entrega.",
  },
  pledgeChanged: {
    subject: "Tu aportación a {{campaign}} ha cambiado",
    withReward: "Tu aportación a {{campaign}} es ahora de {{amount}} por «{{reward}}».",
    noReward: "Tu aportación a {{campaign}} es ahora de {{amount}} (sin recompensa).",
    refunding:
      "Te estamos reembolsando la diferencia de {{difference}} en la tarjeta con la que pagaste; suele verse en un plazo de 5 a 10 días hábiles.",
    raised:
      "Tu aportación a {{campaign}} es ahora de {{amount}}. Hemos cargado en tu tarjeta la diferencia de {{difference}}; como el resto de tu aportación, te la reembolsaremos automáticamente si el proyecto no alcanza su objetivo.",
  },
  changeRefused: {
    subject: "No hemos podido cambiar tu aportación a {{campaign}}",
    body: "Pagaste {{paid}} para aumentar tu aportación a {{campaign}}, pero no hemos podido hacer el cambio: {{reason}}.",
    refunding:
      "Te reembolsamos ese pago íntegro; suele verse en tu extracto bancario en un plazo de 5 a 10 días hábiles. Tu aportación sigue siendo de {{amount}}.",
    reasons: {
      inactive: "la aportación ya no está activa",
      ended: "la campaña ya había terminado",
      changedAgain: "la aportación se volvió a cambiar mientras tanto",
      rewardUnavailable: "la recompensa ya no está disponible",
      soldOut: "la recompensa se agotó mientras tanto",
      replaced: "lo sustituyó un cambio más reciente",
      cancelled: "la aportación se canceló",
    },
  },
  pledgeCancelled: {
    subject: "Se ha cancelado tu aportación a {{campaign}}",
    refunding:
      "Se ha cancelado tu aportación de {{amount}} a {{campaign}}. Te estamos reembolsando los {{refunded}} que pagaste; suele verse en un plazo de 5 a 10 días hábiles.",
    notCharged: "Se ha cancelado tu aportación de {{amount}} a {{campaign}}. No se hará ningún cargo en tu tarjeta.",
  },
  refundIssued: {
    subject: "Reembolso emitido: {{amount}} de {{campaign}}",
    body: "Te hemos reembolsado {{amount}} de tu aportación a «{{campaign}}» en la tarjeta con la que pagaste. Suele verse en tu extracto bancario en un plazo de 5 a 10 días hábiles.",
    reference: "Referencia: {{id}}",
  },
  refundFailed: {
    subject: "No se pudo completar tu reembolso de {{amount}} de {{campaign}}",
    body: "El banco de tu tarjeta no pudo aceptar el reembolso de {{amount}} de tu aportación a «{{campaign}}», así que el dinero no te llegó. No se ha perdido nada: nos pondremos en contacto contigo para devolvértelo por otra vía.",
    reference: "Referencia: {{id}}",
  },
  campaignUpdate: {
    subject: "{{campaign}}: {{title}}",
    posted: "{{campaign}} ha publicado una novedad: {{title}}",
    postedForBackers: "{{campaign}} ha publicado una novedad para sus patrocinadores: {{title}}",
    readIt: "Léela en Colecta",
  },
  funded: {
    subject: "{{campaign}} se ha financiado",
    goodNews: "Buenas noticias: {{campaign}} ha alcanzado su objetivo y se ha financiado.",
    charged: "Hemos cargado {{amount}} en tu tarjeta por tu aportación.",
    final: "Tu pago de {{amount}} ya es definitivo.",
  },
  paymentFailed: {
    subjectFirst: "Acción necesaria: no hemos podido cobrar tu pago a {{campaign}}",
    subjectAgain: "Tu pago a {{campaign}} sigue sin poder cobrarse",
    body: "{{campaign}} se ha financiado, pero no hemos podido cobrar {{amount}} por tu aportación.\nRespuesta de tu banco: {{reason}}",
    fix: "Soluciona el pago aquí (puedes usar otra tarjeta)",
    retry:
      "Volveremos a intentar el cargo en tu tarjeta automáticamente. Si el pago no se completa a más tardar el {{date}}, tu aportación se cancelará y su recompensa quedará libre.",
  },
  paymentFixed: {
    subject: "Pago recibido para {{campaign}}",
    body: "Gracias: hemos recibido tu pago de {{amount}} para {{campaign}}. Tu aportación está completa.",
  },
  pledgeDropped: {
    subject: "Se ha cancelado tu aportación a {{campaign}}",
    body: "No hemos podido cobrar {{amount}} de tu aportación a {{campaign}} antes de que terminara el periodo de gracia, así que la aportación se ha cancelado y su recompensa ha quedado libre. No se te ha cobrado nada.",
  },
  released: {
    subjectCancelled: "{{campaign}} se ha cancelado",
    subjectUnfunded: "{{campaign}} no ha alcanzado su objetivo",
    bodyCancelled:
      "Su creador ha cancelado {{campaign}}. Tu aportación de {{amount}} queda liberada y no se ha hecho ningún cargo en tu tarjeta.",
    bodyUnfunded:
      "{{campaign}} no ha alcanzado su objetivo de financiación. Tu aportación de {{amount}} queda liberada y no se ha hecho ningún cargo en tu tarjeta.",
  },
  settlementRefund: {
    subject: "Reembolso emitido: {{campaign}}",
    bodyCancelled:
      "Su creador ha cancelado {{campaign}}. Te hemos reembolsado tu pago de {{amount}}; suele verse en tu extracto bancario en un plazo de 5 a 10 días hábiles.",
    bodyUnfunded:
      "{{campaign}} no ha alcanzado su objetivo de financiación. Te hemos reembolsado tu pago de {{amount}}; suele verse en tu extracto bancario en un plazo de 5 a 10 días hábiles.",
  },
  creatorDecision: {
    subjectFunded: "{{campaign}} se ha financiado",
    subjectUnfunded: "{{campaign}} no se ha financiado",
    subjectCancelled: "{{campaign}} se ha cancelado",
    funded_one:
      "{{campaign}} se ha financiado: {{count}} patrocinador ha aportado {{amount}}. Ya estamos cobrando los pagos.",
    funded_other:
      "{{campaign}} se ha financiado: {{count}} patrocinadores han aportado {{amount}}. Ya estamos cobrando los pagos.",
    fundedGrace_one:
      "{{campaign}} se ha financiado: {{count}} patrocinador ha aportado {{amount}}. Ya estamos cobrando los pagos; si a alguien le falla el pago, tiene hasta el {{date}} para solucionarlo.",
    fundedGrace_other:
      "{{campaign}} se ha financiado: {{count}} patrocinadores han aportado {{amount}}. Ya estamos cobrando los pagos; los patrocinadores a los que les falle el pago tienen hasta el {{date}} para solucionarlo.",
    unfunded_one:
      "{{campaign}} no ha alcanzado su objetivo ({{count}} patrocinador ha aportado {{amount}}). No se cobra nada a ningún patrocinador y los pagos por adelantado se reembolsan.",
    unfunded_other:
      "{{campaign}} no ha alcanzado su objetivo ({{count}} patrocinadores han aportado {{amount}}). No se cobra nada a ningún patrocinador y los pagos por adelantado se reembolsan.",
    cancelled:
      "{{campaign}} se ha cancelado. No se cobra nada a ningún patrocinador y los pagos por adelantado se reembolsan.",
  },
  creatorClosed: {
    subject: "{{campaign}}: pagos cobrados",
    backers_one: "{{count}} patrocinador",
    backers_other: "{{count}} patrocinadores",
    complete: "La liquidación de {{campaign}} ha terminado: se han cobrado {{amount}} de {{backers}}.",
    completeDropped_one:
      "La liquidación de {{campaign}} ha terminado: se han cobrado {{amount}} de {{backers}}; {{count}} aportación no se pudo cobrar y se ha descartado.",
    completeDropped_other:
      "La liquidación de {{campaign}} ha terminado: se han cobrado {{amount}} de {{backers}}; {{count}} aportaciones no se pudieron cobrar y se han descartado.",
    payoutNext: "A continuación, nuestro equipo de finanzas preparará tu pago como creador.",
  },
};
