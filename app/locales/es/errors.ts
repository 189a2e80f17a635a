import type { Catalogue } from "../en";

export const errors: Catalogue["errors"] = {
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
  suspended:
    "Tu cuenta está suspendida: no puedes publicar, apoyar proyectos ni enviar mensajes. Puedes seguir entrando para ver tus aportaciones; escribe a soporte si crees que es un error.",
};
