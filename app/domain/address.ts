import type { Locale, Translate } from "./locale";

// Shipping addresses: the countries a backer can ship to, which fields each needs, the postal
// code formats we check, and whether a country is inside the shipping destination the backer
// paid for. Pure: the survey's answer schema (domain/survey.ts) calls it, on both sides.

/** ISO 3166-1 alpha-2 codes of the countries and territories a parcel can be sent to. */
// prettier-ignore
export const COUNTRY_CODES = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
  "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR",
  "BS", "BT", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM",
  "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ",
  "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB",
  "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GT", "GU", "GW",
  "GY", "HK", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS",
  "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY",
  "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD",
  "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU",
  "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR",
  "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT",
  "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH",
  "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC",
  "TD", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA",
  "UG", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE",
  "YT", "ZA", "ZM", "ZW",
] as const;

export type CountryCode = (typeof COUNTRY_CODES)[number];

// prettier-ignore
export const EU_COUNTRIES = [
  "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
  "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
] as const;

const COUNTRY_SET = new Set<string>(COUNTRY_CODES);
const EU_SET = new Set<string>(EU_COUNTRIES);

export const isCountryCode = (value: unknown): value is CountryCode =>
  typeof value === "string" && COUNTRY_SET.has(value);
export const isEuCountry = (code: string) => EU_SET.has(code);

const countryNames = new Map<Locale, Intl.DisplayNames>();
/** "Germany"; "Alemania" in Spanish (the runtime's own country names). */
export function countryName(code: string, locale: Locale): string {
  let names = countryNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
    countryNames.set(locale, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every country for a select, sorted by its name in the reader's language. */
export function countryOptions(locale: Locale) {
  const collator = new Intl.Collator(locale);
  return COUNTRY_CODES.map((code) => ({ value: code, label: countryName(code, locale) })).sort((a, b) =>
    collator.compare(a.label, b.label),
  );
}

// The states, provinces and territories of the countries whose addresses need one.
// prettier-ignore
const US_REGIONS: Record<string, string> = {
  AL: "Alabama", AK: "Alaska", AZ: "Arizona", AR: "Arkansas",
  CA: "California", CO: "Colorado", CT: "Connecticut", DE: "Delaware",
  DC: "District of Columbia", FL: "Florida", GA: "Georgia", HI: "Hawaii",
  ID: "Idaho", IL: "Illinois", IN: "Indiana", IA: "Iowa",
  KS: "Kansas", KY: "Kentucky", LA: "Louisiana", ME: "Maine",
  MD: "Maryland", MA: "Massachusetts", MI: "Michigan", MN: "Minnesota",
  MS: "Mississippi", MO: "Missouri", MT: "Montana", NE: "Nebraska",
  NV: "Nevada", NH: "New Hampshire", NJ: "New Jersey", NM: "New Mexico",
  NY: "New York", NC: "North Carolina", ND: "North Dakota", OH: "Ohio",
  OK: "Oklahoma", OR: "Oregon", PA: "Pennsylvania", RI: "Rhode Island",
  SC: "South Carolina", SD: "South Dakota", TN: "Tennessee", TX: "Texas",
  UT: "Utah", VT: "Vermont", VA: "Virginia", WA: "Washington",
  WV: "West Virginia", WI: "Wisconsin", WY: "Wyoming", PR: "Puerto Rico",
  GU: "Guam", VI: "U.S. Virgin Islands", AS: "American Samoa", MP: "Northern Mariana Islands",
  AA: "Armed Forces Americas", AE: "Armed Forces Europe", AP: "Armed Forces Pacific",
};
// prettier-ignore
const CA_REGIONS: Record<string, string> = {
  AB: "Alberta", BC: "British Columbia", MB: "Manitoba", NB: "New Brunswick",
  NL: "Newfoundland and Labrador", NS: "Nova Scotia", NT: "Northwest Territories", NU: "Nunavut",
  ON: "Ontario", PE: "Prince Edward Island", QC: "Quebec", SK: "Saskatchewan",
  YT: "Yukon",
};
// prettier-ignore
const AU_REGIONS: Record<string, string> = {
  ACT: "Australian Capital Territory", NSW: "New South Wales", NT: "Northern Territory", QLD: "Queensland",
  SA: "South Australia", TAS: "Tasmania", VIC: "Victoria", WA: "Western Australia",
};
const REGIONS: Partial<Record<string, Record<string, string>>> = { US: US_REGIONS, CA: CA_REGIONS, AU: AU_REGIONS };

/** The list a region must come from (US states, Canadian provinces, Australian states), if any. */
export function regionOptions(country: string) {
  const regions = REGIONS[country];
  return regions ? Object.entries(regions).map(([value, label]) => ({ value, label })) : null;
}

/** What a country's label for the region field is: state, province, prefecture... */
export type RegionLabel = "state" | "province" | "prefecture" | "county" | "region";
export type PostalLabel = "zip" | "postcode" | "postal";

// Countries and territories with no postal codes in general use: the field is optional there.
// prettier-ignore
const NO_POSTAL_CODE = new Set([
  "AE", "AG", "AO", "AW", "BF", "BI", "BJ", "BO", "BQ", "BS", "BW", "BZ", "CD", "CF", "CG",
  "CI", "CK", "CM", "CW", "DJ", "DM", "ER", "FJ", "GA", "GD", "GH", "GM", "GQ", "GY", "HK",
  "IE", "KI", "KM", "KN", "KP", "LY", "MO", "ML", "MR", "MW", "NR", "NU", "QA", "RW", "SB",
  "SC", "SL", "SO", "SR", "SS", "ST", "SX", "SY", "TD", "TG", "TK", "TL", "TO", "TT", "TV",
  "UG", "VU", "YE", "ZW",
]);

// Postal code formats (upper-cased, spaces kept as typed). Elsewhere: letters, digits, spaces
// and hyphens, 2 to 10 characters.
const POSTAL_FORMATS: Record<string, { pattern: RegExp; example: string }> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: "94105" },
  CA: { pattern: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d$/, example: "K1A 0B1" },
  GB: { pattern: /^([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|GIR ?0AA)$/, example: "SW1A 1AA" },
  JP: { pattern: /^\d{3}-?\d{4}$/, example: "100-0001" },
  AU: { pattern: /^\d{4}$/, example: "2000" },
  AT: { pattern: /^\d{4}$/, example: "1010" },
  BE: { pattern: /^\d{4}$/, example: "1000" },
  BG: { pattern: /^\d{4}$/, example: "1000" },
  HR: { pattern: /^\d{5}$/, example: "10000" },
  CY: { pattern: /^\d{4}$/, example: "1010" },
  CZ: { pattern: /^\d{3} ?\d{2}$/, example: "110 00" },
  DK: { pattern: /^\d{4}$/, example: "1050" },
  EE: { pattern: /^\d{5}$/, example: "10111" },
  FI: { pattern: /^\d{5}$/, example: "00100" },
  FR: { pattern: /^\d{5}$/, example: "75001" },
  DE: { pattern: /^\d{5}$/, example: "10115" },
  GR: { pattern: /^\d{3} ?\d{2}$/, example: "105 57" },
  HU: { pattern: /^\d{4}$/, example: "1051" },
  // Eircodes are optional in practice, checked when given.
  IE: { pattern: /^([AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}$/, example: "D02 X285" },
  IT: { pattern: /^\d{5}$/, example: "00184" },
  LV: { pattern: /^(LV-?)?\d{4}$/, example: "LV-1050" },
  LT: { pattern: /^(LT-?)?\d{5}$/, example: "LT-01100" },
  LU: { pattern: /^(L-?)?\d{4}$/, example: "1009" },
  MT: { pattern: /^[A-Z]{3} ?\d{2,4}$/, example: "VLT 1117" },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/, example: "1012 AB" },
  PL: { pattern: /^\d{2}-\d{3}$/, example: "00-950" },
  PT: { pattern: /^\d{4}-\d{3}$/, example: "1000-001" },
  RO: { pattern: /^\d{6}$/, example: "010011" },
  SK: { pattern: /^\d{3} ?\d{2}$/, example: "811 01" },
  SI: { pattern: /^(SI-?)?\d{4}$/, example: "1000" },
  ES: { pattern: /^(0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: "28013" },
  SE: { pattern: /^\d{3} ?\d{2}$/, example: "114 55" },
};
const ANY_POSTAL = /^[A-Z0-9][A-Z0-9 -]{0,8}[A-Z0-9]$/;

export interface CountryRules {
  regionRequired: boolean;
  regionLabel: RegionLabel;
  postalRequired: boolean;
  postalLabel: PostalLabel;
  /** A well-formed postal code of the country, for the hint; null when any format is accepted. */
  postalExample: string | null;
}

/** A field's label inside a sentence: "Postal code" becomes "postal code"; "ZIP code" stays. */
const inSentence = (label: string) =>
  label.replace(/^(\p{Lu})(\p{Ll})/u, (_, a: string, b: string) => a.toLowerCase() + b);

/** Which address fields a country needs, and what they are called there. */
export function countryRules(country: string): CountryRules {
  const regionLabel: RegionLabel =
    country === "CA"
      ? "province"
      : country === "JP"
        ? "prefecture"
        : country === "GB" || country === "IE"
          ? "county"
          : country === "US" || country === "AU"
            ? "state"
            : "region";
  return {
    regionRequired: country in REGIONS,
    regionLabel,
    postalRequired: !NO_POSTAL_CODE.has(country),
    postalLabel: country === "US" ? "zip" : country === "GB" || country === "AU" ? "postcode" : "postal",
    postalExample: POSTAL_FORMATS[country]?.example ?? null,
  };
}

/** The postal code as we store it: trimmed, upper-cased, inner runs of spaces made one. */
export const normalisePostalCode = (value: string) => value.trim().toUpperCase().replace(/\s+/g, " ");

export function postalCodeValid(country: string, postalCode: string): boolean {
  const code = normalisePostalCode(postalCode);
  return (POSTAL_FORMATS[country]?.pattern ?? ANY_POSTAL).test(code);
}

/** A phone number, loosely: digits with the usual separators, 6 to 15 digits, an optional +. */
export function phoneValid(phone: string): boolean {
  const trimmed = phone.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, "").length;
  return digits >= 6 && digits <= 15;
}

/**
 * Whether an address in `country` is inside the shipping destination the backer paid for:
 * US, CA, GB, JP and AU are themselves, EU any member state, ROW every other country.
 * A pledge without a destination (nothing to ship was priced) accepts any country.
 */
export function countryMatchesDestination(country: string, destination: string | null): boolean {
  if (!destination) return true;
  if (destination === "EU") return isEuCountry(country);
  if (destination === "ROW") return !["US", "CA", "GB", "JP", "AU"].includes(country) && !isEuCountry(country);
  return country === destination;
}

/** The country an address form starts on, from the destination paid for (EU and ROW: none). */
export function defaultCountryFor(destination: string | null): string {
  return destination && ["US", "CA", "GB", "JP", "AU"].includes(destination) ? destination : "";
}

export const ADDRESS_LIMITS = { fullName: 100, line: 120, city: 80, region: 80, postalCode: 12, phone: 30 } as const;

export interface AddressInput {
  fullName?: string;
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  phone?: string;
}

export interface Address {
  fullName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
}

/** The address form's field names, one per part (`addr_city`...). */
export const ADDRESS_FIELDS = {
  fullName: "addr_fullName",
  line1: "addr_line1",
  line2: "addr_line2",
  city: "addr_city",
  region: "addr_region",
  postalCode: "addr_postalCode",
  country: "addr_country",
  phone: "addr_phone",
} as const satisfies Record<keyof Address, string>;

/**
 * Checks an address against its country's rules and the destination paid for. Returns the
 * cleaned address, or a message per bad part (keyed by the part: `city`, `postalCode`...).
 */
export function validateAddress(
  input: AddressInput,
  { destination, t, locale }: { destination: string | null; t: Translate; locale: Locale },
): { ok: true; address: Address } | { ok: false; errors: Partial<Record<keyof Address, string>> } {
  const clean = (v: string | undefined) => (v ?? "").trim().replace(/\s+/g, " ");
  const a: Address = {
    fullName: clean(input.fullName),
    line1: clean(input.line1),
    line2: clean(input.line2),
    city: clean(input.city),
    region: clean(input.region),
    postalCode: normalisePostalCode(input.postalCode ?? ""),
    country: clean(input.country).toUpperCase(),
    phone: clean(input.phone),
  };
  const errors: Partial<Record<keyof Address, string>> = {};
  const tooLong = (max: number) => t("surveys:address.tooLong", { max });
  if (!a.fullName) errors.fullName = t("surveys:address.fullNameRequired");
  else if (a.fullName.length > ADDRESS_LIMITS.fullName) errors.fullName = tooLong(ADDRESS_LIMITS.fullName);
  if (!a.line1) errors.line1 = t("surveys:address.line1Required");
  else if (a.line1.length > ADDRESS_LIMITS.line) errors.line1 = tooLong(ADDRESS_LIMITS.line);
  if (a.line2.length > ADDRESS_LIMITS.line) errors.line2 = tooLong(ADDRESS_LIMITS.line);
  if (!a.city) errors.city = t("surveys:address.cityRequired");
  else if (a.city.length > ADDRESS_LIMITS.city) errors.city = tooLong(ADDRESS_LIMITS.city);
  if (a.phone) {
    if (a.phone.length > ADDRESS_LIMITS.phone || !phoneValid(a.phone)) errors.phone = t("surveys:address.phoneInvalid");
  }

  if (!a.country) {
    errors.country = t("surveys:address.countryRequired");
    return { ok: false, errors };
  }
  if (!isCountryCode(a.country)) {
    errors.country = t("surveys:address.countryUnknown");
    return { ok: false, errors };
  }
  const rules = countryRules(a.country);
  const regionLabel = inSentence(t(`surveys:address.regionLabel.${rules.regionLabel}`));
  const regions = REGIONS[a.country];
  if (regions) {
    // A state typed by name ("Texas") is taken as its code.
    const byName = Object.entries(regions).find(([, name]) => name.toLowerCase() === a.region.toLowerCase());
    const code = byName ? byName[0] : a.region.toUpperCase();
    if (!a.region) errors.region = t("surveys:address.regionRequired", { label: regionLabel });
    else if (!regions[code])
      errors.region = t("surveys:address.regionUnknown", {
        label: regionLabel,
        country: countryName(a.country, locale),
      });
    else a.region = code;
  } else if (a.region.length > ADDRESS_LIMITS.region) errors.region = tooLong(ADDRESS_LIMITS.region);

  const postalLabel = inSentence(t(`surveys:address.postalLabel.${rules.postalLabel}`));
  if (!a.postalCode) {
    if (rules.postalRequired) errors.postalCode = t("surveys:address.postalRequired", { label: postalLabel });
  } else if (a.postalCode.length > ADDRESS_LIMITS.postalCode || !postalCodeValid(a.country, a.postalCode)) {
    errors.postalCode = rules.postalExample
      ? t("surveys:address.postalFormat", {
          label: postalLabel,
          country: countryName(a.country, locale),
          example: rules.postalExample,
        })
      : t("surveys:address.postalInvalid", { label: postalLabel });
  }

  if (!countryMatchesDestination(a.country, destination)) {
    errors.country = destinationMismatchMessage(a.country, destination!, { t, locale });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, address: a };
}

/** Why the country is refused: what was paid for, and the two ways to change it. */
export function destinationMismatchMessage(
  country: string,
  destination: string,
  { t, locale }: { t: Translate; locale: Locale },
): string {
  return t("surveys:address.destinationMismatch", {
    country: countryName(country, locale),
    destination: t(`public:destination.${destination}`),
  });
}
