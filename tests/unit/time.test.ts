import { chargeSentence, percentFunded } from "~/domain/charge-terms";
import { discoverHref, parseDiscoverParams } from "~/domain/discovery";
import {
  formatDate,
  formatDeadline,
  formatMonthYear,
  formatRelativeTime,
  formatShortDateTime,
  timeLeft,
} from "~/domain/time";

const now = new Date("2026-12-01T12:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("time in Spanish and English", () => {
  it("says how long is left in the reader's language", () => {
    expect(timeLeft(later(9 * DAY + HOUR), now, "es")).toMatchObject({ amount: "9 días", label: "Quedan 9 días" });
    expect(timeLeft(later(9 * DAY + HOUR), now, "en")).toMatchObject({ amount: "9 days", label: "9 days to go" });
    expect(timeLeft(later(5 * HOUR), now, "es").label).toBe("Termina en 5 horas");
    expect(timeLeft(later(MIN), now, "es").label).toBe("Termina en 1 minuto");
    expect(timeLeft(later(30_000), now, "es").label).toBe("Termina en menos de un minuto");
    expect(timeLeft(now, now, "es")).toMatchObject({ label: "Finalizada", ended: true });
  });

  it("writes dates and relative times by language", () => {
    expect(formatDeadline("2026-12-04T18:00:00Z", "UTC", "es")).toBe("viernes, 4 de diciembre de 2026, 18:00 UTC");
    expect(formatDate("2026-12-04T18:00:00Z", "UTC", "es")).toBe("4 de diciembre de 2026");
    expect(formatShortDateTime("2026-12-04T08:05:00Z", "UTC", "es")).toBe("4 dic 2026, 08:05 UTC");
    expect(formatMonthYear("2027-03-01", "es")).toBe("marzo de 2027");
    expect(formatRelativeTime(later(-3 * DAY), now, "es")).toBe("hace 3 días");
    expect(formatRelativeTime(later(-3 * DAY), now)).toBe("3 days ago");
    expect(formatRelativeTime(later(DAY), now, "es")).toBe("mañana");
    expect(formatRelativeTime(later(2 * HOUR), now, "en")).toBe("in 2 hours");
    // The English default is unchanged by a cached Spanish formatter.
    expect(formatDate("2026-12-04T18:00:00Z")).toBe("4 December 2026");
  });
});

describe("time left", () => {
  it.each([
    [12 * DAY + 5 * HOUR, "12 days to go", false],
    [2 * DAY, "2 days to go", false],
    [DAY + 23 * HOUR, "47 hours to go", false],
    [23 * HOUR + 59 * MIN, "Ends in 23 hours", true],
    [HOUR, "Ends in 1 hour", true],
    [45 * MIN, "Ends in 45 minutes", true],
    [MIN, "Ends in 1 minute", true],
    [30_000, "Ends in less than a minute", true],
  ])("%d ms before the deadline reads %s", (ms, label, endingSoon) => {
    const left = timeLeft(later(ms), now);
    expect(left.label).toBe(label);
    expect(left.ended).toBe(false);
    expect(left.endingSoon).toBe(endingSoon);
  });

  it("says Ended at and after the deadline, and accepts ISO strings", () => {
    expect(timeLeft(now, now)).toMatchObject({ label: "Ended", ended: true });
    expect(timeLeft(later(-DAY).toISOString(), now.toISOString())).toMatchObject({ label: "Ended", ended: true });
    expect(timeLeft("not a date", now).ended).toBe(true);
  });
});

describe("deadline and date formatting", () => {
  it("gives the exact deadline with its time zone", () => {
    expect(formatDeadline("2026-12-04T18:00:00Z")).toBe("Friday, 4 December 2026 at 18:00 UTC");
    expect(formatDeadline("2026-12-04T18:00:00Z", "Europe/Madrid")).toBe(
      "Friday, 4 December 2026 at 19:00 Europe/Madrid",
    );
    expect(formatDeadline("2026-12-31T23:30:00Z")).toBe("Thursday, 31 December 2026 at 23:30 UTC");
  });

  it("formats dates, short date-times and delivery months", () => {
    expect(formatDate("2026-12-04T18:00:00Z")).toBe("4 December 2026");
    expect(formatShortDateTime("2026-12-04T08:05:00Z")).toBe("4 Dec 2026, 08:05 UTC");
    expect(formatMonthYear("2027-03-01")).toBe("March 2027");
    expect(formatMonthYear(new Date("2027-03-01T00:00:00Z"))).toBe("March 2027");
  });
});

describe("the charge sentence", () => {
  const deadline = "2026-12-04T18:00:00Z";
  it.each([
    ["all_or_nothing", "at_deadline", "You'll be charged only if this project reaches its goal, on 4 December 2026."],
    ["flexible", "at_deadline", "You'll be charged on 4 December 2026, whether or not the goal is met."],
    [
      "all_or_nothing",
      "immediate",
      "You'll be charged now; refunded automatically if the goal isn't met by 4 December 2026.",
    ],
    ["flexible", "immediate", "You'll be charged now; the creator keeps all pledges."],
  ] as const)("%s + %s", (fundingModel, collection, sentence) => {
    expect(chargeSentence({ fundingModel, collection, deadline })).toBe(sentence);
  });

  it("rounds percent funded down", () => {
    expect(percentFunded(99_600, 100_000)).toBe(99);
    expect(percentFunded(240_000, 100_000)).toBe(240);
    expect(percentFunded(5, 0)).toBe(0);
  });
});

describe("discover parameters", () => {
  const parse = (query: string) => parseDiscoverParams(new URLSearchParams(query));

  it("defaults to live projects sorted by trending, or best match when searching", () => {
    expect(parse("")).toMatchObject({
      q: "",
      category: null,
      state: "live",
      sort: "trending",
      sortChosen: false,
      cursor: null,
    });
    expect(parse("q=solar+lantern")).toMatchObject({ q: "solar lantern", sort: "relevance" });
  });

  it("falls back to defaults for anything unknown, and truncates long searches", () => {
    expect(parse("sort=cheapest&state=secret&category=weapons")).toMatchObject({
      sort: "trending",
      state: "live",
      category: null,
    });
    expect(parse("sort=relevance")).toMatchObject({ sort: "trending", sortChosen: false });
    expect(parse(`q=${"word ".repeat(200)}`).q.length).toBeLessThanOrEqual(100);
    expect(parse(`cursor=${"x".repeat(400)}`).cursor).toBeNull();
    expect(parse("q=%20%20lantern%0A%0Amaker%20")).toMatchObject({ q: "lantern maker" });
  });

  it("keeps chosen values and builds links that leave defaults out", () => {
    const params = parse("q=synth&category=music&state=funded&sort=newest");
    expect(params).toMatchObject({ q: "synth", category: "music", state: "funded", sort: "newest", sortChosen: true });
    expect(discoverHref(params)).toBe("/discover?q=synth&category=music&state=funded&sort=newest");
    expect(discoverHref(params, { cursor: "abc" })).toBe(
      "/discover?q=synth&category=music&state=funded&sort=newest&cursor=abc",
    );
    expect(discoverHref(parse(""))).toBe("/discover");
  });
});
