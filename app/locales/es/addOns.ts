import type { Catalogue } from "../en";

// Español, espacio «addOns»: los complementos del creador (extras que un patrocinador compra con
// su recompensa).

export const addOns: Catalogue["addOns"] = {
  tab: "Complementos",
  meta: {
    list: "Complementos · Colecta",
    edit: "Editar complemento · Colecta",
  },
  form: {
    title: "Título del complemento",
    description: "Qué reciben los patrocinadores",
    price: "Precio por unidad",
    priceHintWhole: "En {{code}}, yenes enteros.",
    priceHintDecimal: "En {{code}}, por ejemplo 12 o 12,50.",
    pricedNote: "Quienes ya lo añadieron mantienen el precio al que lo eligieron.",
    quantityLimit: "Límite de unidades",
    quantityLimitHint: "Opcional. Unidades disponibles entre todos los patrocinadores; vacío significa sin límite.",
    perBackerMax: "Máximo por patrocinador",
    perBackerMaxHint: "Opcional. Las unidades que puede añadir como mucho cada patrocinador, hasta {{max}}.",
    shipping: "Envío",
    noShipping: "Sin envío (digital, o va sin coste con la recompensa)",
    ships: "Se envía, con un recargo por unidad",
    ratesHint:
      "Recargo por unidad y destino, que se suma a la aportación. Deja vacío un destino si no envías allí; escribe 0 si no hay recargo. «Resto del mundo» cubre todos los demás países.",
    tiers: "Se ofrece con",
    tiersHint:
      "Las recompensas a las que un patrocinador puede añadirlo. Un complemento que se envía solo puede ir con recompensas que se envían: su destino es el de la recompensa.",
    tierShips: "se envía",
    tierNoShipping: "sin envío",
    tierHidden: "oculta",
    saving: "Guardando…",
  },
  validation: {
    titleRequired: "Ponle un título al complemento.",
    titleTooLong: "El título debe tener menos de {{max}} caracteres.",
    descriptionTooLong: "La descripción debe tener menos de {{max}} caracteres.",
    priceRequired: "Indica el precio por unidad.",
    quantity: "Escribe un número entero de 1 a {{max}}, o déjalo vacío para no poner límite.",
    perBacker: "Escribe un número entero de 1 a {{max}}, o déjalo vacío.",
    perBackerAboveLimit_one:
      "Un patrocinador no puede añadir más de la {{count}} unidad disponible: baja este número o sube el límite.",
    perBackerAboveLimit_other:
      "Un patrocinador no puede añadir más de las {{count}} unidades disponibles: baja este número o sube el límite.",
    shippingRequired: "Elige si este complemento se envía.",
    noRates: "Indica un recargo para al menos un destino (0 si no hay recargo).",
    tiersRequired: "Elige al menos una recompensa que ofrezca este complemento.",
    tierUnknown: "Una de las recompensas elegidas no es de esta campaña. Recarga la página y vuelve a elegir.",
    tiersDontShip_one:
      "Este complemento se envía, pero {{titles}} no: la dirección del patrocinador sale de la recompensa. Desmárcala o elige «Sin envío».",
    tiersDontShip_other:
      "Este complemento se envía, pero {{titles}} no: la dirección del patrocinador sale de la recompensa. Desmárcalas o elige «Sin envío».",
  },
  list: {
    heading: "Complementos",
    intro:
      "Extras que un patrocinador puede comprar con su recompensa: una segunda unidad, una funda, una lámina firmada. Cada uno tiene un precio por unidad y se ofrece con las recompensas que elijas.",
    none: "Todavía no hay complementos.",
    summary_one: "{{count}} complemento, {{visible}} a la vista de los patrocinadores.",
    summary_other: "{{count}} complementos, {{visible}} a la vista de los patrocinadores.",
    empty:
      "<strong>Añade tu primer complemento.</strong> Los patrocinadores lo eligen con su recompensa y lo pagan en la misma aportación.",
    noTiers: "Añade primero una recompensa: cada complemento se ofrece con al menos una.",
    addTiers: "Añadir una recompensa",
    added: "Complemento añadido.",
    saved: "Complemento guardado.",
    deleted: "Complemento eliminado.",
    price: "{{amount}} la unidad",
    hidden: "Oculto",
    claimed: "Reservadas",
    claimedNoLimit: "{{claimed}} (sin límite)",
    claimedOfLimit: "{{claimed}} de {{limit}} · quedan {{remaining}}",
    perBacker: "Por patrocinador",
    perBackerNoLimit: "Sin límite",
    perBackerMax: "Hasta {{max}}",
    shipping: "Envío",
    noShipping: "Sin envío",
    rate: "{{destination}} +{{amount}}",
    free: "sin recargo",
    offeredWith: "Se ofrece con",
    edit: "Editar",
    editAria: "Editar {{title}}",
    hide: "Ocultar",
    hideAria: "Ocultar {{title}}",
    show: "Mostrar",
    showAria: "Mostrar {{title}}",
    delete: "Eliminar",
    deleteAria: "Eliminar {{title}}",
    addHeading: "Añadir un complemento",
    addSubmit: "Añadir complemento",
  },
  edit: {
    breadcrumb: "Todos los complementos",
    heading: "Editar «{{title}}»",
    liveNotice:
      "Esta campaña está en marcha. Puedes cambiar el texto, el precio y las unidades; quienes ya lo añadieron mantienen su precio.",
    claimedNote_one: "Ya hay {{count}} unidad reservada, así que el límite no puede ser menor.",
    claimedNote_other: "Ya hay {{count}} unidades reservadas, así que el límite no puede ser menor.",
    submit: "Guardar complemento",
    ended: "Esta campaña ha terminado, así que sus complementos ya no pueden cambiar.",
    visibilityHeading: "Visibilidad",
    hiddenText: "Oculto: ahora nadie puede elegirlo. Las aportaciones que lo tienen lo conservan.",
    shownText: "Se ofrece a los patrocinadores con las recompensas de arriba.",
    deleteHeading: "Eliminar",
    deleteText: "Nadie lo ha elegido todavía, así que puede eliminarse para siempre.",
    cantDelete: "Hay patrocinadores que lo han elegido, así que no puede eliminarse. Ocúltalo.",
  },
  refusal: {
    notFound: "No se encuentra el complemento.",
    gone: "Ese complemento ya no existe. Recarga la página.",
    unknownAction: "Acción desconocida.",
    ended: "Esta campaña ha terminado, así que sus complementos ya no pueden cambiar.",
    limitBelowClaimed_one: "Ya hay {{count}} unidad reservada, así que el límite no puede ser menor que {{count}}.",
    limitBelowClaimed_other:
      "Ya hay {{count}} unidades reservadas, así que el límite no puede ser menor que {{count}}.",
    deleteChosen:
      "Hay patrocinadores que han elegido este complemento, así que no puede eliminarse. Ocúltalo: nadie nuevo podrá elegirlo y las aportaciones que lo tienen lo conservan.",
  },
};
