import type { Catalogue } from "../en";
import { auth } from "./auth";
import { backer } from "./backer";
import { common } from "./common";
import { content } from "./content";
import { emails } from "./emails";
import { errors } from "./errors";

// The Spanish catalogue, typed as the English one: a missing or extra key fails the type check.
// Spanish of Spain, addressing the reader as "tú" throughout.

export const es: Catalogue = {
  common,
  errors,
  auth,
  backer,
  content,
  emails,
};
