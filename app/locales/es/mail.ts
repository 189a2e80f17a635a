import type { Catalogue } from "../en";

// Spanish, mail namespace. Spain Spanish, "tú".

export const mail: Catalogue["mail"] = {
  categories: {
    updates: "Novedades de las campañas",
    comments: "Comentarios y respuestas",
    messages: "Mensajes privados",
    reminders: "Recordatorios",
  },
  categoryHints: {
    updates: "Las novedades que publican los creadores de las campañas que apoyas.",
    comments: "Respuestas a tus comentarios y comentarios nuevos en tus campañas.",
    messages: "Un mensaje privado nuevo de un creador o de un mecenas.",
    reminders: "Fechas límite próximas de las campañas que sigues o apoyas.",
  },
  mailbox: {
    lead: "Aquí Colecta no tiene servidor de correo: lo que envió a {{email}} llegó al buzón de pruebas integrado y aparece abajo, del más reciente al más antiguo.",
    viewHtml: "Abrir la versión HTML",
    plainText: "Versión de texto",
  },
  unsubscribe: {
    meta: "Darse de baja · Colecta",
    title: "¿Dejar de recibir estos correos?",
    lead: "Ya no recibirás correos sobre: {{category}}. Los recibos y los avisos de pago se envían siempre.",
    submit: "Darme de baja",
    done: "Listo: ya no recibirás correos sobre: {{category}}.",
    manage: "Elige qué correos recibes",
    invalid: "Este enlace para darte de baja no es válido. Inicia sesión para elegir qué correos recibes.",
    tooMany: "Demasiadas solicitudes desde tu red. Vuelve a intentarlo dentro de unos minutos.",
  },
  notifications: {
    meta: "Notificaciones · Colecta",
    title: "Notificaciones por correo",
    lead: "Elige qué correos opcionales quieres recibir. Los correos sobre tu dinero (recibos, pagos fallidos, reembolsos) y sobre tu cuenta se envían siempre.",
    submit: "Guardar preferencias",
    saved: "Tus preferencias se han guardado.",
  },
  staff: {
    meta: "Envío de correos · Colecta",
    title: "Problemas en el envío de correos",
    lead: "Correos que han fallado definitivamente y correos que siguen esperando mucho después de su hora (el servidor los sigue aplazando o un proceso se detuvo mientras los enviaba).",
    empty: "No hay correos fallidos ni atascados.",
    recipient: "Destinatario",
    subject: "Asunto",
    state: "Estado",
    attempts: "Intentos",
    reply: "Respuesta del servidor",
    failed: "Fallido",
    stuck: "En espera",
    retry: "Reintentar",
    retried: "El correo {{id}} vuelve a estar en la cola.",
    notRetried: "No se ha podido volver a poner en la cola el correo {{id}}.",
  },
};
