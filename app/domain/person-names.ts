// How a person is named where strangers read: their first name and the initial of their last
// ("Nora García" -> "Nora G."), enough to credit them without putting their full name on a
// public page. A one-word name stays as it is.

export function shortName(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return words[0] ?? "";
  const initial = Array.from(words[words.length - 1]!)[0]!.toLocaleUpperCase();
  return `${words[0]} ${initial}.`;
}
