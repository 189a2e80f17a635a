import { parseWithZod } from "@conform-to/zod/v4";
import {
  answerField,
  answerSchema,
  dueReminder,
  questionFormSchema,
  questionsFor,
  sendSurveySchema,
  surveyWindow,
  type SurveyQuestion,
} from "~/domain/survey";
import { translatorFor } from "~/i18n";

// The survey's rules: what a creator may build, which questions a tier answers, each kind's
// answer checks, the lock and the reminders.

const t = translatorFor("en");
const form = (fields: Array<[string, string]>) => {
  const data = new FormData();
  for (const [k, v] of fields) data.append(k, v);
  return data;
};

const size: SurveyQuestion = {
  id: "11111111-1111-4111-8111-111111111111",
  kind: "single",
  prompt: "Size?",
  help: "",
  required: true,
  allTiers: true,
  tierIds: [],
  options: [
    { id: "aaaaaaaa-1111-4111-8111-111111111111", label: "S", stockLimit: 10, takenCount: 0 },
    { id: "aaaaaaaa-2222-4111-8111-111111111111", label: "M", stockLimit: null, takenCount: 0 },
  ],
};
const colours: SurveyQuestion = {
  ...size,
  id: "22222222-2222-4222-8222-222222222222",
  kind: "multiple",
  prompt: "Colours?",
  required: false,
  options: [
    { id: "bbbbbbbb-1111-4111-8111-111111111111", label: "Red", stockLimit: null, takenCount: 0 },
    { id: "bbbbbbbb-2222-4111-8111-111111111111", label: "Blue", stockLimit: null, takenCount: 0 },
  ],
};
const note: SurveyQuestion = {
  ...size,
  id: "33333333-3333-4333-8333-333333333333",
  kind: "text",
  prompt: "Name to engrave",
  options: [],
};
const address: SurveyQuestion = {
  ...size,
  id: "44444444-4444-4444-8444-444444444444",
  kind: "address",
  prompt: "Where?",
  options: [],
};
const tierA = { id: "tttttttt-aaaa-4aaa-8aaa-aaaaaaaaaaaa", ships: true };
const tierB = { id: "tttttttt-bbbb-4bbb-8bbb-bbbbbbbbbbbb", ships: false };

const answer = (questions: SurveyQuestion[], fields: Array<[string, string]>, destination: string | null = "US") =>
  parseWithZod(form(fields), { schema: answerSchema({ questions, destination, t, locale: "en" }) });
const errorsOf = (s: ReturnType<typeof answer>) => (s.status === "success" ? {} : (s.reply().error ?? {}));

describe("building a question", () => {
  const build = (fields: Array<[string, string]>) => parseWithZod(form(fields), { schema: questionFormSchema(t) });

  it("needs 2 to 20 options for a choice, and ignores empty rows", () => {
    const one = build([
      ["kind", "single"],
      ["prompt", "Size?"],
      ["allTiers", "on"],
      ["options[0].label", "S"],
      ["options[1].label", ""],
    ]);
    expect(errorsOf(one as never)).toEqual({ options: ["Give from 2 to 20 options."] });
    const two = build([
      ["kind", "single"],
      ["prompt", "Size?"],
      ["allTiers", "on"],
      ["options[0].label", "S"],
      ["options[1].label", "M"],
      ["options[1].stock", "25"],
      ["options[2].label", ""],
    ]);
    expect(two.status).toBe("success");
    if (two.status === "success") expect(two.value.options).toEqual([{ label: "S" }, { label: "M", stock: 25 }]);
    const many = Array.from({ length: 21 }, (_, i): [string, string] => [`options[${i}].label`, `Option ${i}`]);
    expect(
      errorsOf(build([["kind", "multiple"], ["prompt", "Pick"], ["allTiers", "on"], ...many]) as never),
    ).toHaveProperty("options");
  });

  it("refuses a short prompt, duplicate options, a bad stock and no tier", () => {
    const result = build([
      ["kind", "single"],
      ["prompt", "S"],
      ["options[0].label", "Red"],
      ["options[1].label", "red"],
      ["options[1].stock", "-1"],
    ]);
    expect(errorsOf(result as never)).toEqual({
      prompt: ["Write a question of 3 to 200 characters."],
      "options[1].stock": ["Stock is a whole number from 0 to 1000000, or empty for no limit."],
      tierIds: ["Choose at least one tier, or tick “Every tier”."],
      "options[1].label": ["Each option must be different."],
    });
  });

  it("makes an address question required and drops options from questions that have none", () => {
    const result = build([
      ["kind", "address"],
      ["prompt", "Shipping address"],
      ["allTiers", "on"],
      ["options[0].label", "x"],
    ]);
    expect(result.status === "success" && result.value).toMatchObject({ required: true, options: [] });
  });
});

describe("which questions a pledge answers", () => {
  it("asks only its tier's questions, and an address only of a tier that ships", () => {
    const onlyB = { ...note, allTiers: false, tierIds: [tierB.id] };
    expect(questionsFor([size, address, onlyB], tierA).map((q) => q.id)).toEqual([size.id, address.id]);
    expect(questionsFor([size, address, onlyB], tierB).map((q) => q.id)).toEqual([size.id, onlyB.id]);
    expect(questionsFor([size, address], null).map((q) => q.id)).toEqual([size.id]);
  });
});

describe("answering, per kind", () => {
  it("takes a valid answer to every kind", () => {
    const result = answer(
      [size, colours, note, address],
      [
        [answerField(size.id), size.options[0]!.id],
        [answerField(colours.id), colours.options[0]!.id],
        [answerField(colours.id), colours.options[1]!.id],
        [answerField(note.id), "  Ada  "],
        ["addr_fullName", "Ada"],
        ["addr_line1", "1 Main St"],
        ["addr_city", "Austin"],
        ["addr_region", "TX"],
        ["addr_postalCode", "73301"],
        ["addr_country", "US"],
      ],
    );
    expect(result.status).toBe("success");
    if (result.status !== "success") return;
    expect(result.value.answers).toEqual({
      [size.id]: { kind: "choices", optionIds: [size.options[0]!.id] },
      [colours.id]: { kind: "choices", optionIds: [colours.options[0]!.id, colours.options[1]!.id] },
      [note.id]: { kind: "text", text: "Ada" },
    });
    expect(result.value.address).toMatchObject({ city: "Austin", region: "TX", country: "US" });
  });

  it("refuses missing required answers at their fields", () => {
    const errors = errorsOf(answer([size, note, { ...colours, required: true }], []));
    expect(errors).toEqual({
      [answerField(size.id)]: ["Choose one option."],
      [answerField(note.id)]: ["Please answer this question."],
      [answerField(colours.id)]: ["Choose at least one option."],
    });
  });

  it("refuses an unknown option and an option of another question", () => {
    const errors = errorsOf(
      answer(
        [size, colours],
        [
          [answerField(size.id), colours.options[0]!.id],
          [answerField(colours.id), "not-an-option"],
        ],
      ),
    );
    expect(errors).toEqual({
      [answerField(size.id)]: ["Choose one of the options shown."],
      [answerField(colours.id)]: ["Choose one of the options shown."],
    });
  });

  it("takes a single pick of a multiple choice, and refuses two picks for a single choice", () => {
    const one = answer([colours], [[answerField(colours.id), colours.options[1]!.id]]);
    expect(one.status === "success" && one.value.answers[colours.id]).toEqual({
      kind: "choices",
      optionIds: [colours.options[1]!.id],
    });
    const two = answer(
      [size],
      [
        [answerField(size.id), size.options[0]!.id],
        [answerField(size.id), size.options[1]!.id],
      ],
    );
    expect(errorsOf(two)).toEqual({ [answerField(size.id)]: ["Choose one of the options shown."] });
  });

  it("refuses a text answer that is too long", () => {
    expect(errorsOf(answer([note], [[answerField(note.id), "x".repeat(501)]]))).toEqual({
      [answerField(note.id)]: ["At most 500 characters."],
    });
  });

  it("refuses an address outside the destination paid for, at the country field", () => {
    const errors = errorsOf(
      answer(
        [address],
        [
          ["addr_fullName", "Ada"],
          ["addr_line1", "1 Rue"],
          ["addr_city", "Paris"],
          ["addr_postalCode", "75001"],
          ["addr_country", "FR"],
        ],
        "GB",
      ),
    );
    expect(Object.keys(errors)).toEqual(["addr_country"]);
    expect(errors.addr_country![0]).toContain("You paid shipping to United Kingdom, which does not include France.");
  });
});

describe("the lock and the reminders", () => {
  const now = new Date("2027-01-10T12:00:00Z");
  it("sends with a lock at least a day ahead", () => {
    const soon = sendSurveySchema(t, now).safeParse({ lockDate: "2027-01-10" });
    expect(soon.success).toBe(false);
    const ok = sendSurveySchema(t, now).parse({ lockDate: "2027-01-20" });
    expect(ok.lockDate.toISOString()).toBe("2027-01-20T23:59:59.000Z");
    expect(sendSurveySchema(t, now).safeParse({ lockDate: "2027-02-30" }).success).toBe(false);
  });

  it("is open until the lock, then only for a backer the creator reopened", () => {
    const lockAt = new Date("2027-01-15T00:00:00Z");
    expect(surveyWindow({ state: "sent", lockAt }, null, now)).toMatchObject({ open: true });
    const after = new Date("2027-01-16T00:00:00Z");
    expect(surveyWindow({ state: "sent", lockAt }, null, after)).toEqual({ open: false, reason: "locked" });
    expect(
      surveyWindow({ state: "sent", lockAt }, { unlockedUntil: new Date("2027-01-18T00:00:00Z") }, after),
    ).toMatchObject({ open: true, unlocked: true });
    expect(surveyWindow({ state: "draft", lockAt: null }, null, now)).toEqual({ open: false, reason: "draft" });
  });

  it("reminds on day 3 and day 7, once each, never after the lock", () => {
    const sentAt = new Date("2027-01-01T00:00:00Z");
    const lockAt = new Date("2027-01-20T00:00:00Z");
    const at = (day: number) => new Date(sentAt.getTime() + day * 24 * 3600_000);
    expect(dueReminder({ sentAt, lockAt, remindersSent: 0 }, at(2))).toBeNull();
    expect(dueReminder({ sentAt, lockAt, remindersSent: 0 }, at(3))).toBe(1);
    expect(dueReminder({ sentAt, lockAt, remindersSent: 1 }, at(5))).toBeNull();
    expect(dueReminder({ sentAt, lockAt, remindersSent: 1 }, at(7))).toBe(2);
    expect(dueReminder({ sentAt, lockAt, remindersSent: 2 }, at(9))).toBeNull();
    expect(dueReminder({ sentAt, lockAt, remindersSent: 0 }, at(20))).toBeNull();
  });
});
