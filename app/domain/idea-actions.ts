import { z } from "zod";
import { ideaAnswerSchema, ideaFormSchema } from "./crowd";
import type { Translate } from "./locale";

// The forms on a board and on an idea's page, by intent: post an idea, vote and withdraw a vote,
// the creator's answer and hide/show, the author's delete. The idea a form acts on comes from
// its `ideaId` field on the board and from the address on the idea's page.

export const IDEA_INTENTS = ["post", "vote", "unvote", "answer", "hideIdea", "showIdea", "deleteIdea"] as const;
export type IdeaIntent = (typeof IDEA_INTENTS)[number];

export function isIdeaIntent(value: unknown): value is IdeaIntent {
  return (IDEA_INTENTS as readonly unknown[]).includes(value);
}

/** The schema of the fields the form of `intent` holds (besides the idea's id). */
export function ideaActionSchema(t: Translate, intent: IdeaIntent) {
  switch (intent) {
    case "post":
      return ideaFormSchema(t).transform((v) => ({ intent, ...v }));
    case "answer":
      return ideaAnswerSchema(t).transform((v) => ({ intent, ...v }));
    default:
      return z.object({}).transform(() => ({ intent }));
  }
}

export type IdeaAction =
  | ({ intent: "post" } & z.output<ReturnType<typeof ideaFormSchema>>)
  | ({ intent: "answer" } & z.output<ReturnType<typeof ideaAnswerSchema>>)
  | { [I in Exclude<IdeaIntent, "post" | "answer">]: { intent: I } }[Exclude<IdeaIntent, "post" | "answer">];

/** The idea a board's vote form names. */
export function ideaIdSchema(t: Translate) {
  return z.object({ ideaId: z.uuid({ error: t("ideas:refusal.notFound") }) });
}

/**
 * A board is public (a tab on the project, its pages readable) while it is on, and after it is
 * turned off while it still holds ideas: their authors keep their credit.
 */
export function boardIsPublic(c: { ideasEnabled: boolean; ideaCount: number }): boolean {
  return c.ideasEnabled || c.ideaCount > 0;
}
