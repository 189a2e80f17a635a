import type { Catalogue } from "./en";

// The Spanish catalogue. Typed as the English one: a missing or extra key fails the type check.

export const es: Catalogue = {
  common: {
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
  },
  errors: {
    status: "Error {{status}}",
    title: {
      400: "No hemos podido entender esa petición",
      403: "No puedes hacer eso",
      404: "No hemos encontrado esa página",
      405: "Eso no está permitido aquí",
      413: "Ese archivo es demasiado grande",
      429: "Espera un momento",
      other: "Algo no va bien",
      server: "Algo ha fallado por nuestra parte",
    },
    serverDetail:
      "Hemos registrado el error. No se te ha cobrado nada dos veces; vuelve a intentarlo dentro de un momento.",
    notFoundHint: "Puede que el enlace esté roto o que la página se haya movido.",
    notFoundMeta: "Página no encontrada · Colecta",
    backHome: "Volver a la página de inicio",
  },
  auth: {
    email: "Correo electrónico",
    password: "Contraseña",
    name: "Nombre",
    login: {
      meta: "Entrar · Colecta",
      title: "Entrar",
      lead: "Hola de nuevo. Entra para gestionar tus aportaciones y campañas.",
      submit: "Entrar",
      submitting: "Entrando…",
      newHere: "¿Es tu primera vez en Colecta?",
      createAccount: "Crear una cuenta",
    },
    signup: {
      meta: "Crea tu cuenta · Colecta",
      title: "Crea tu cuenta",
      lead: "Apoya proyectos, sigue su avance y lanza tu propia campaña.",
      passwordHint: "Al menos {{min}} caracteres. Una frase corta funciona bien.",
      submit: "Crear cuenta",
      submitting: "Creando tu cuenta…",
      haveAccount: "¿Ya tienes una cuenta?",
      signIn: "Entrar",
    },
    refusal: {
      mismatch: "Ese correo y esa contraseña no corresponden a ninguna cuenta.",
      tooManyLogins: "Demasiados intentos de entrada. Por tu seguridad, espera {{wait}} y vuelve a intentarlo.",
      tooManySignups: "Demasiadas cuentas nuevas desde tu red. Vuelve a intentarlo dentro de {{wait}}.",
      emailTaken: "Ya existe una cuenta con este correo. Entra con ella o usa otro correo.",
      wait_one: "un minuto",
      wait_other: "{{count}} minutos",
    },
    validation: {
      emailRequired: "Escribe tu correo electrónico.",
      emailTooLong: "Ese correo es demasiado largo (254 caracteres como máximo).",
      emailInvalid: "Escribe un correo válido, como nombre@ejemplo.com.",
      nameRequired: "Escribe tu nombre.",
      nameTooLong: "Tu nombre debe tener menos de 100 caracteres.",
      passwordTooShort: "Usa al menos {{min}} caracteres.",
      passwordTooLongForSignup: "Usa como máximo {{max}} caracteres.",
      passwordRequired: "Escribe tu contraseña.",
      passwordTooLong: "Esa contraseña es demasiado larga.",
    },
  },
};
