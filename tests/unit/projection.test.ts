import { cumulativeSeries, projectFinalTotal } from "~/domain/projection";

const launchedAt = new Date("2027-03-01T09:00:00Z");
const deadline = new Date("2027-03-31T09:00:00Z");

describe("projecting the final total", () => {
  it("extrapolates a steady daily pace linearly to the deadline, with no spread", () => {
    const now = new Date("2027-03-10T09:00:00Z");
    const dailyTotals = Array.from({ length: 10 }, (_, i) => ({
      day: `2027-03-${String(i + 1).padStart(2, "0")}`,
      amount: 10_000,
    }));
    const p = projectFinalTotal({ pledgedAmount: 100_000, launchedAt, deadline, now, dailyTotals })!;
    expect(p.dailyRate).toBe(10_000);
    expect(p.basisDays).toBe(7);
    expect(p.daysLeft).toBe(21);
    expect(p.expected).toBe(100_000 + 21 * 10_000);
    expect(p.low).toBe(p.expected);
    expect(p.high).toBe(p.expected);
    expect(p.confidence).toBe("normal");
  });

  it("uses only the last seven days, counting quiet days as zero, and widens the range with the spread", () => {
    const now = new Date("2027-03-20T12:00:00Z");
    // A big first week, then only two pledges in the last seven days (14th..20th).
    const dailyTotals = [
      { day: "2027-03-01", amount: 500_000 },
      { day: "2027-03-15", amount: 7_000 },
      { day: "2027-03-18", amount: 7_000 },
    ];
    const p = projectFinalTotal({ pledgedAmount: 514_000, launchedAt, deadline, now, dailyTotals })!;
    expect(p.dailyRate).toBe(2_000);
    expect(p.expected).toBeCloseTo(514_000 + 2_000 * p.daysLeft, -1);
    expect(p.high).toBeGreaterThan(p.expected);
    expect(p.low).toBeLessThan(p.expected);
    expect(p.low).toBeGreaterThanOrEqual(514_000);
  });

  it("never projects below what is already pledged", () => {
    // One lucky day in a quiet week: the spread is wider than the expected gain.
    const now = new Date("2027-03-10T12:00:00Z");
    const p = projectFinalTotal({
      pledgedAmount: 50_000,
      launchedAt,
      deadline: new Date("2027-03-25T12:00:00Z"),
      now,
      dailyTotals: [{ day: "2027-03-05", amount: 50_000 }],
    })!;
    expect(p.expected).toBeGreaterThan(50_000);
    expect(p.low).toBe(50_000);
    expect(p.basisDays).toBe(7);
  });

  it("says the guess is rough in the first days", () => {
    const now = new Date("2027-03-01T18:00:00Z");
    const p = projectFinalTotal({
      pledgedAmount: 3_000,
      launchedAt,
      deadline,
      now,
      dailyTotals: [{ day: "2027-03-01", amount: 3_000 }],
    })!;
    expect(p.basisDays).toBe(1);
    expect(p.confidence).toBe("low");
  });

  it("returns nothing for a draft or after the deadline", () => {
    expect(
      projectFinalTotal({ pledgedAmount: 0, launchedAt: null, deadline: null, now: launchedAt, dailyTotals: [] }),
    ).toBeNull();
    expect(
      projectFinalTotal({
        pledgedAmount: 0,
        launchedAt,
        deadline,
        now: new Date("2027-04-01T00:00:00Z"),
        dailyTotals: [],
      }),
    ).toBeNull();
  });
});

describe("the cumulative series for the chart", () => {
  it("has one point per day from launch, quiet days included", () => {
    const points = cumulativeSeries({
      launchedAt,
      until: new Date("2027-03-04T10:00:00Z"),
      daily: [
        { day: "2027-03-01", amount: 1000, pledges: 1 },
        { day: "2027-03-03", amount: 2500, pledges: 2 },
      ],
    });
    expect(points).toEqual([
      { day: "2027-03-01", total: 1000, amount: 1000, pledges: 1 },
      { day: "2027-03-02", total: 1000, amount: 0, pledges: 0 },
      { day: "2027-03-03", total: 3500, amount: 2500, pledges: 2 },
      { day: "2027-03-04", total: 3500, amount: 0, pledges: 0 },
    ]);
  });
});
