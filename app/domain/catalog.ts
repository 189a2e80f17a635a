// Fixed lists the forms offer: campaign categories and shipping destinations.

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

export function categoryName(slug: string) {
  return CATEGORIES.find((c) => c.slug === slug)?.name ?? slug;
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

export function destinationName(code: string) {
  return DESTINATIONS.find((d) => d.code === code)?.name ?? code;
}
