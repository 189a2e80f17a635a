// The hosted Checkout page's languages. Stripe renders Checkout in the session's `locale`
// ("auto": the browser's Accept-Language); this emulator speaks English and Spanish, and shows
// English for every other locale Stripe accepts. Its own small table: the emulator is a separate
// program and shares nothing with the application it stands in for.

import { formatAmount } from "../money.js";

export type PageLang = "en" | "es";

const langOfTag = (tag: string): PageLang | null => {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return primary === "es" ? "es" : primary === "en" ? "en" : null;
};

/** The best language this page speaks from an Accept-Language header (q-values honoured). */
export function fromAcceptLanguage(header: string | null | undefined): PageLang | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.split(";");
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      const quality = q ? Number(q[1]) : 1;
      return { lang: langOfTag(tag), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((e) => e.lang && e.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked[0]?.lang ?? null;
}

/** The language of a session's page: its `locale`, "auto" reading the browser's header. */
export function pageLang(locale: string | null | undefined, acceptLanguage: string | null | undefined): PageLang {
  if (!locale || locale === "auto") return fromAcceptLanguage(acceptLanguage) ?? "en";
  return langOfTag(locale) ?? "en";
}

/** Money as Stripe shows it to a reader of `lang`: "$19.99", "19,99 US$", "1.250,00 €". */
export function formatMoneyFor(lang: PageLang, amount: number, currency: string): string {
  return formatAmount(amount, currency, lang === "es" ? "es-ES" : "en-US");
}

export interface PageStrings {
  saveCardTitle: string;
  setupDescription: (merchant: string) => string;
  notChargedNow: string;
  payMerchant: (merchant: string) => string;
  qtyEach: (qty: number, each: string) => string;
  totalDue: string;
  saveCard: string;
  pay: (amount: string) => string;
  contact: string;
  email: string;
  paymentMethod: string;
  cardInformation: string;
  cardNumber: string;
  expiry: string;
  expiryPlaceholder: string;
  cvc: string;
  cardholderName: string;
  cardholderPlaceholder: string;
  simulated: string;
  testCards: string;
  testMode: string;
  footer: string;
  titleSave: string;
  titleCheckout: string;
  titleComplete: string;
  titleUnavailable: string;
  cardSaved: string;
  paymentComplete: string;
  alreadyComplete: string;
  expired: string;
  expiredText: string;
  notFound: string;
  notFoundText: string;
  backTo: (merchant: string) => string;
  returnTo: (merchant: string) => string;
  /** Stripe's card and decline messages (the API's English) as the page shows them. */
  messages: Record<string, string>;
  /** The test card list's labels, by their English. */
  cardLabels: Record<string, string>;
}

const EN: PageStrings = {
  saveCardTitle: "Save your card for future payments",
  setupDescription: (m) => `${m} will keep this card on file and charge it later, only as you agreed.`,
  notChargedNow: "You will not be charged now.",
  payMerchant: (m) => `Pay ${m}`,
  qtyEach: (q, each) => `Qty ${q} · ${each} each`,
  totalDue: "Total due",
  saveCard: "Save card",
  pay: (amount) => `Pay ${amount}`,
  contact: "Contact information",
  email: "Email",
  paymentMethod: "Payment method",
  cardInformation: "Card information",
  cardNumber: "Card number",
  expiry: "Expiration date",
  expiryPlaceholder: "MM / YY",
  cvc: "CVC",
  cardholderName: "Cardholder name",
  cardholderPlaceholder: "Full name on card",
  simulated: "Payments are simulated — this is a test page",
  testCards: "Test cards · any future date, any CVC",
  testMode: "Test mode",
  footer: 'Powered by the <strong>Stripe emulator</strong> <span aria-hidden="true">·</span> no real payment is made',
  titleSave: "Save your card",
  titleCheckout: "Checkout",
  titleComplete: "Complete",
  titleUnavailable: "Session unavailable",
  cardSaved: "Your card is saved",
  paymentComplete: "Payment complete",
  alreadyComplete: "This checkout session is already complete. Nothing more to do here.",
  expired: "This checkout session has expired",
  expiredText: "The time to complete this payment ran out. Please start again from the merchant's site.",
  notFound: "Checkout session not found",
  notFoundText: "The link may be mistyped or the session belongs to another emulator instance.",
  backTo: (m) => `Back to ${m}`,
  returnTo: (m) => `Return to ${m}`,
  messages: {},
  cardLabels: {},
};

const ES: PageStrings = {
  saveCardTitle: "Guarda tu tarjeta para pagos futuros",
  setupDescription: (m) => `${m} guardará esta tarjeta y la cargará más adelante, solo según lo acordado.`,
  notChargedNow: "No se te cobrará nada ahora.",
  payMerchant: (m) => `Pagar a ${m}`,
  qtyEach: (q, each) => `Cant. ${q} · ${each} cada uno`,
  totalDue: "Total a pagar",
  saveCard: "Guardar tarjeta",
  pay: (amount) => `Pagar ${amount}`,
  contact: "Información de contacto",
  email: "Correo electrónico",
  paymentMethod: "Método de pago",
  cardInformation: "Datos de la tarjeta",
  cardNumber: "Número de tarjeta",
  expiry: "Fecha de caducidad",
  expiryPlaceholder: "MM / AA",
  cvc: "CVC",
  cardholderName: "Titular de la tarjeta",
  cardholderPlaceholder: "Nombre completo que figura en la tarjeta",
  simulated: "Los pagos son simulados: esta es una página de prueba",
  testCards: "Tarjetas de prueba · cualquier fecha futura, cualquier CVC",
  testMode: "Modo de prueba",
  footer:
    'Con la tecnología del <strong>emulador de Stripe</strong> <span aria-hidden="true">·</span> no se hace ningún pago real',
  titleSave: "Guarda tu tarjeta",
  titleCheckout: "Pago",
  titleComplete: "Completado",
  titleUnavailable: "Sesión no disponible",
  cardSaved: "Tu tarjeta está guardada",
  paymentComplete: "Pago completado",
  alreadyComplete: "Esta sesión de pago ya está completada. No tienes que hacer nada más.",
  expired: "Esta sesión de pago ha caducado",
  expiredText: "Se acabó el tiempo para completar este pago. Vuelve a empezar desde el sitio del comercio.",
  notFound: "No se ha encontrado la sesión de pago",
  notFoundText: "Puede que el enlace esté mal escrito o que la sesión sea de otra instancia del emulador.",
  backTo: (m) => `Volver a ${m}`,
  returnTo: (m) => `Volver a ${m}`,
  messages: {
    "Your email address is invalid.": "Tu dirección de correo electrónico no es válida.",
    "Your card number is incomplete.": "Tu número de tarjeta está incompleto.",
    "Your card's expiration date is incomplete.": "La fecha de caducidad de tu tarjeta está incompleta.",
    "Your card's security code is incomplete.": "El código de seguridad de tu tarjeta está incompleto.",
    "Your card number is invalid.": "Tu número de tarjeta no es válido.",
    "Your card number is incorrect.": "Tu número de tarjeta es incorrecto.",
    "Your card's expiration month is invalid.": "El mes de caducidad de tu tarjeta no es válido.",
    "Your card's expiration year is invalid.": "El año de caducidad de tu tarjeta no es válido.",
    "Your card's expiration date is in the past.": "La fecha de caducidad de tu tarjeta ya ha pasado.",
    "Your card's security code is invalid.": "El código de seguridad de tu tarjeta no es válido.",
    "Your card was declined.": "Tu tarjeta ha sido rechazada.",
    "Your card has insufficient funds.": "Tu tarjeta no tiene fondos suficientes.",
    "Your card was declined. This transaction requires authentication.":
      "Tu tarjeta ha sido rechazada. Esta operación requiere autenticación.",
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.":
      "No se ha podido autenticar tu tarjeta. Vuelve a intentarlo o usa otra tarjeta.",
    "The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set it up again.":
      "No se ha podido autenticar tu tarjeta. Vuelve a intentarlo o usa otra tarjeta.",
    "Authentication is still required.": "Todavía es necesario autenticar el pago.",
  },
  cardLabels: {
    Succeeds: "Pago correcto",
    "Succeeds (Mastercard)": "Pago correcto (Mastercard)",
    "Succeeds (Amex)": "Pago correcto (Amex)",
    Declined: "Rechazada",
    "Insufficient funds": "Fondos insuficientes",
    "Saves, then declines when charged": "Se guarda y se rechaza al cobrar",
    "3D Secure on setup": "3D Secure al guardarla",
    "3D Secure always": "3D Secure siempre",
    "Succeeds, then disputed": "Pago correcto, luego disputado",
    "Succeeds, refunds fail": "Pago correcto, los reembolsos fallan",
  },
};

export const PAGE_STRINGS: Record<PageLang, PageStrings> = { en: EN, es: ES };

/** A message of Stripe's (English) in the page's language; unknown ones stay as they are. */
export function translateMessage(lang: PageLang, message: string): string {
  return PAGE_STRINGS[lang].messages[message] ?? message;
}
