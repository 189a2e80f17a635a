import { account } from "./account";
import { addOns } from "./addOns";
import { audit } from "./audit";
import { alerts } from "./alerts";
import { reconciliation } from "./reconciliation";
import { auth } from "./auth";
import { campaignForm } from "./campaignForm";
import { backer } from "./backer";
import { comments } from "./comments";
import { common } from "./common";
import { content } from "./content";
import { creator } from "./creator";
import { emails } from "./emails";
import { errors } from "./errors";
import { finance } from "./finance";
import { fulfilment } from "./fulfilment";
import { ideas } from "./ideas";
import { insights } from "./insights";
import { polls } from "./polls";
import { stretch } from "./stretch";
import { mail } from "./mail";
import { messages } from "./messages";
import { moderation } from "./moderation";
import { publicPages } from "./public";
import { recovery } from "./recovery";
import { security } from "./security";
import { surveys } from "./surveys";

// The English catalogue, one file per namespace (an area of the site). Its shape is the
// `Catalogue` every other language must have (see ../es), so a key missing from a translation,
// or one left over, fails the type check. A new namespace is a file here, one in every other
// language's folder, and a line in each index.

export const en = {
  common,
  comments,
  errors,
  auth,
  backer,
  content,
  emails,
  finance,
  public: publicPages,
  creator,
  campaignForm,
  mail,
  moderation,
  security,
  account,
  messages,
  surveys,
  fulfilment,
  ideas,
  polls,
  stretch,
  insights,
  addOns,
  audit,
  alerts,
  reconciliation,
  recovery,
};

export type Catalogue = typeof en;
