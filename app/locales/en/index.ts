import { auth } from "./auth";
import { backer } from "./backer";
import { common } from "./common";
import { content } from "./content";
import { emails } from "./emails";
import { errors } from "./errors";

// The English catalogue, one file per namespace (an area of the site). Its shape is the
// `Catalogue` every other language must have (see ../es), so a key missing from a translation,
// or one left over, fails the type check. A new namespace is a file here, one in every other
// language's folder, and a line in each index.

export const en = {
  common,
  errors,
  auth,
  backer,
  content,
  emails,
};

export type Catalogue = typeof en;
