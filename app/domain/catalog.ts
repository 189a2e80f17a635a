import type { Translate } from "./locale";

// Fixed lists the forms offer: campaign categories and shipping destinations. Their names are
// English here; given the page's translate function, the helpers word them in its language.

export const CATEGORIES = [
  { slug: "hardware", name: "Hardware" },
  { slug: "design", name: "Design" },
  { slug: "technology", name: "Technology" },
  { slug: "games", name: "Games" },
  { slug: "food", name: "Food & drink" },
  { slug: "sustainability", name: "Sustainability" },
  { slug: "health", name: "Health" },
  { slug: "education", name: "Education" },
  { slug: "music", name: "Music & audio" },
  { slug: "publishing", name: "Publishing" },
] as const;

export type CategorySlug = (typeof CATEGORIES)[number]["slug"];

/** Each category's name in the catalogue (literal keys, so the key check sees them). */
const CATEGORY_NAMES: Record<CategorySlug, (t: Translate) => string> = {
  hardware: (t) => t("public:category.hardware"),
  design: (t) => t("public:category.design"),
  technology: (t) => t("public:category.technology"),
  games: (t) => t("public:category.games"),
  food: (t) => t("public:category.food"),
  sustainability: (t) => t("public:category.sustainability"),
  health: (t) => t("public:category.health"),
  education: (t) => t("public:category.education"),
  music: (t) => t("public:category.music"),
  publishing: (t) => t("public:category.publishing"),
};

/** "Food & drink"; "Comida y bebida" with a Spanish `t`. An unknown slug is shown as it is. */
export function categoryName(slug: string, t?: Translate) {
  const category = CATEGORIES.find((c) => c.slug === slug);
  if (!category) return slug;
  return t ? CATEGORY_NAMES[category.slug](t) : category.name;
}

export const REST_OF_WORLD = "ROW";

/** Destinations a creator can price shipping for; ROW covers every other country. */
export const DESTINATIONS = [
  { code: "US", name: "United States" },
  { code: "CA", name: "Canada" },
  { code: "GB", name: "United Kingdom" },
  { code: "EU", name: "European Union" },
  { code: "JP", name: "Japan" },
  { code: "AU", name: "Australia" },
  { code: REST_OF_WORLD, name: "Rest of world" },
] as const;

export type DestinationCode = (typeof DESTINATIONS)[number]["code"];

const DESTINATION_NAMES: Record<DestinationCode, (t: Translate) => string> = {
  US: (t) => t("public:destination.US"),
  CA: (t) => t("public:destination.CA"),
  GB: (t) => t("public:destination.GB"),
  EU: (t) => t("public:destination.EU"),
  JP: (t) => t("public:destination.JP"),
  AU: (t) => t("public:destination.AU"),
  ROW: (t) => t("public:destination.ROW"),
};

/** "United Kingdom"; "Reino Unido" with a Spanish `t`. An unknown code is shown as it is. */
export function destinationName(code: string, t?: Translate) {
  const destination = DESTINATIONS.find((d) => d.code === code);
  if (!destination) return code;
  return t ? DESTINATION_NAMES[destination.code](t) : destination.name;
}
