import type { Catalogue } from "../en";

export const common: Catalogue["common"] = {
  meta: {
    title: "Colecta — apoya los proyectos en los que crees",
    description:
      "Colecta es micromecenazgo para proyectos de innovación: apoya una campaña y paga solo si se financia.",
  },
  skipLink: "Saltar al contenido",
  homeLink: "Inicio de Colecta",
  nav: {
    label: "Principal",
    discover: "Descubrir",
    startProject: "Crear un proyecto",
    myPledges: "Mis aportaciones",
    mailbox: "Buzón",
    finance: "Finanzas",
  },
  account: { signIn: "Entrar", signUp: "Registrarse", signOut: "Salir" },
  language: { label: "Idioma", switchTo: "Cambiar el sitio a {{language}}" },
  footer: {
    tagline:
      "Micromecenazgo para proyectos de innovación. A los mecenas solo se les cobra según las condiciones de cada proyecto.",
    payments: "Pagos con Stripe (modo de prueba). En este sitio no se mueve dinero real.",
    copyright: "© {{year}} Colecta",
  },
  backers_one: "{{count}} patrocinador",
  backers_other: "{{count}} patrocinadores",
  amount: {
    required: "Introduce un importe.",
    negative: "El importe debe ser positivo.",
    format: "Escribe el importe como un número, por ejemplo 25 o 25,50.",
    noDecimals: "{{currency}} no tiene decimales; escribe un número entero.",
    decimals: "Usa como máximo {{exponent}} decimales.",
    tooLarge: "Ese importe es demasiado grande.",
    zero: "El importe debe ser mayor que cero.",
    max: "El importe puede ser como máximo {{max}}.",
  },
};
