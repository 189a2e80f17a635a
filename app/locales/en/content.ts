// English, content namespace: the language a campaign is written in (chosen by its creator,
// shown to readers). The shape every other language's `content` must have.

export const content = {
  language: {
    label: "Language",
    hint: "The language you write your campaign in. Readers see it, and search reads your words in it.",
    invalid: "Choose the language your campaign is written in.",
    name: {
      en: "English",
      es: "Spanish",
    },
    writtenIn: {
      en: "In English",
      es: "In Spanish",
    },
  },
};
