import type { Catalogue } from "../en";

export const security: Catalogue["security"] = {
  meta: {
    settings: "Verificación en dos pasos · Colecta",
    secondStep: "Introduce tu código · Colecta",
  },
  settings: {
    title: "Verificación en dos pasos",
    lead: "Un segundo paso al entrar: un código de seis cifras de una aplicación de autenticación en tu móvil, para que una contraseña robada no baste para abrir tu cuenta.",
    required:
      "Tu cuenta tiene acceso de personal. Activa la verificación en dos pasos para continuar: la necesitas para mover dinero y para entrar en el área de finanzas.",
    on: "La verificación en dos pasos está activada.",
    off: "La verificación en dos pasos está desactivada.",
    recoveryLeft_one: "Te queda {{count}} código de recuperación sin usar.",
    recoveryLeft_other: "Te quedan {{count}} códigos de recuperación sin usar.",
    scan: "Escanea este código QR con tu aplicación de autenticación (por ejemplo, Google Authenticator, Microsoft Authenticator, 1Password o Aegis).",
    qrAlt: "Código QR para añadir Colecta a tu aplicación de autenticación",
    manual: "¿No puedes escanearlo? Añade la cuenta a mano con esta clave:",
    confirmLead: "Después, escribe el código de seis cifras que muestra la aplicación para Colecta.",
    codeLabel: "Código de la aplicación",
    codeHint: "Seis cifras; la aplicación muestra uno nuevo cada 30 segundos.",
    confirm: "Activar la verificación en dos pasos",
    recoveryTitle: "Tus códigos de recuperación",
    recoveryLead:
      "Guárdalos ahora en un sitio seguro, como un gestor de contraseñas. Si pierdes el móvil, cada uno sirve una sola vez en lugar de un código. Es la única vez que se muestran.",
    recoveryDone: "Ya los he guardado",
    regenerateTitle: "Nuevos códigos de recuperación",
    regenerateLead: "Genera diez códigos de recuperación nuevos; los que tienes ahora dejarán de funcionar.",
    regenerateButton: "Generar códigos nuevos",
    disableTitle: "Desactivar la verificación en dos pasos",
    disableLead: "Tu cuenta volverá a pedirte solo la contraseña. Escribe un código actual para confirmarlo.",
    disableButton: "Desactivar",
    staffKeepsIt: "Las cuentas del personal mantienen la verificación en dos pasos; no se puede desactivar aquí.",
    working: "Comprobando…",
    enabledNotice:
      "La verificación en dos pasos está activada. A partir de ahora, después de la contraseña te pediremos un código.",
    disabledNotice: "La verificación en dos pasos está desactivada.",
    regeneratedNotice: "Códigos de recuperación nuevos listos; los anteriores ya no sirven.",
  },
  secondStep: {
    title: "Introduce tu código",
    lead: "Abre tu aplicación de autenticación y escribe el código de seis cifras de Colecta.",
    stepUpLead: "Esta página necesita tu segundo paso. Escribe el código de tu aplicación de autenticación.",
    codeLabel: "Código",
    codeHint: "¿Has perdido el móvil? Escribe uno de tus códigos de recuperación.",
    submit: "Continuar",
    submitting: "Comprobando…",
    expired: "Has tardado demasiado en escribir el código. Vuelve a introducir tu correo y tu contraseña.",
    startAgain: "Volver a entrar",
  },
  payout: {
    codeLabel: "Código de tu aplicación de autenticación",
    codeHint: "Aprobar mueve dinero: escribe el código que muestra ahora la aplicación.",
  },
  validation: {
    codeRequired: "Escribe el código de seis cifras de tu aplicación.",
    codeFormat: "El código tiene seis cifras.",
    codeOrRecoveryFormat: "Escribe el código de seis cifras o un código de recuperación como abcde-23456.",
  },
  refusal: {
    unknownAction: "Este formulario ha enviado algo que la página no reconoce. Recárgala y vuelve a intentarlo.",
    wrongCode: "Ese código no es correcto o ya se ha usado. Espera al siguiente y vuelve a intentarlo.",
    tooManyCodes_one: "Demasiados códigos probados. Por tu seguridad, espera un minuto y vuelve a intentarlo.",
    tooManyCodes_other:
      "Demasiados códigos probados. Por tu seguridad, espera {{count}} minutos y vuelve a intentarlo.",
    noPendingEnrolment: "Esta configuración ha caducado. Recarga la página para obtener un código QR nuevo.",
    staffCannotDisable: "Las cuentas del personal deben mantener activada la verificación en dos pasos.",
    secondFactorRequired: "Esto requiere la verificación en dos pasos. Actívala primero en tus ajustes.",
  },
};
