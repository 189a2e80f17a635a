import type { Catalogue } from "../en";

// Spanish, content namespace.

export const content: Catalogue["content"] = {
  language: {
    label: "Idioma",
    hint: "El idioma en el que escribes tu campaña. Lo ven los lectores, y la búsqueda lee tus palabras en él.",
    invalid: "Elige el idioma en el que está escrita tu campaña.",
    name: {
      en: "Inglés",
      es: "Español",
    },
    writtenIn: {
      en: "En inglés",
      es: "En español",
    },
  },
};
