import { sql } from "kysely";
import type { CrowdPolicy, Db, IdeaKind, IdeaStatus } from "../../db/schema.js";
import { COUNTED_STATES } from "../../app/domain/pledge-states";
import { recordComment } from "../../app/models/comment-state.server";
import { castIdeaVote, castPollVote } from "../../app/models/crowd-votes.server";
import { setIdeaBoard } from "../../app/models/idea.server";
import { answerIdea, creditIdea, recordIdea } from "../../app/models/idea-state.server";
import { createPoll } from "../../app/models/poll.server";
import { seededRandom } from "./random";

// The crowd in the demo: Ideas boards on Ana's Lumen lantern (live) and Open Braille Labeller,
// Priya's Kintsugi Kit and Inés's lamps (in Spanish), with ideas from their backers over the past weeks, votes from many
// demo accounts, comments, and the creators' answers (some adopted with a thank-you, some
// declined, some still new); and a poll on each English campaign whose votes arrive over
// several days, one of them changing its mind, so the insights chart has a shape. Everything
// goes through the model writers, so every counter equals what it counts; only the moments
// (votes' and comments' created_at) are moved back afterwards, as the campaigns' seed does.

const HOUR = 3_600_000;
/** The demo's sign-ins who post on a board only where the data names them (Bea's adopted idea, Lucía's). */
const NAMED_DEMO_USERS = ["backer@example.com", "lucia@example.com"];
const DAY = 24 * HOUR;

/** Who wrote something: the n-th backer of the campaign (by email, so the same on every run), a demo email, or the creator. */
type Who = number | `${string}@${string}` | "creator";

interface DemoIdea {
  title: string;
  kind: IdeaKind;
  body: string;
  author: Who;
  daysAgo: number;
  /** How many demo accounts vote for it. */
  votes: number;
  answer?: { status: Exclude<IdeaStatus, "new">; note: string; afterHours: number };
  /** The thank-you for an adopted idea: a mention, or a tier's reward (by title) on the author's pledge. */
  credit?: "mention" | { tier: string };
  comments?: { author: Who; body: string; afterHours: number }[];
}

interface DemoPoll {
  question: string;
  options: string[];
  policy: CrowdPolicy;
  openedDaysAgo: number;
  /** Negative: it closed that many days ago. */
  closesInDays: number;
  voters: number;
  /** Each option's pull at the start and at the end of the poll: the lead changes hands. */
  early: number[];
  late: number[];
  /** How many voters change their mind later. */
  changes: number;
}

interface DemoBoard {
  slug: string;
  policy: CrowdPolicy;
  seed: number;
  /** The share of its backers (and, on an open board, of other demo accounts) who take part. */
  engaged: number;
  ideas: DemoIdea[];
  polls?: DemoPoll[];
}

export const DEMO_BOARDS: DemoBoard[] = [
  {
    // Ana's live campaign, which backer@example.com backs: the board and the open poll a person
    // trying the demo (or the browser test) posts and votes on.
    slug: "lumen-solar-lantern",
    policy: "backers",
    seed: 15_004,
    engaged: 0.65,
    ideas: [
      {
        title: "A red light mode for stargazing and night shifts",
        kind: "feature",
        body: "White light ruins your night vision for twenty minutes. A **dim red mode** would make Lumen the lantern for campsites, boats and night-shift nurses.",
        author: 0,
        daysAgo: 20,
        votes: 18,
        answer: {
          status: "adopted",
          note: "Adopted: the production board gets a red LED ring, one press past the night-light. Your lantern is on us.",
          afterHours: 16,
        },
        credit: { tier: "Lumen lantern" },
        comments: [
          { author: 5, body: "Yes please. I'd use it on the boat every night.", afterHours: 4 },
          { author: "creator", body: "We've wired one onto a test unit: 620 nm, under 5 lumens.", afterHours: 12 },
        ],
      },
      {
        title: "Show the battery level with four LEDs, not one",
        kind: "feature",
        body: "One LED that goes from green to red doesn't tell me whether I have **two evenings or six** left. Four small LEDs would.",
        author: 1,
        daysAgo: 19,
        votes: 14,
        answer: {
          status: "planned",
          note: "Planned: the fuel gauge moves to four LEDs beside the USB-C port.",
          afterHours: 28,
        },
      },
      {
        title: "A carabiner loop so it hangs upside down in a tent",
        kind: "design",
        body: "Hung from the tent's ridge, the light would fall **down onto the floor** instead of into my eyes. A loop moulded into the base would do it.",
        author: 2,
        daysAgo: 17,
        votes: 12,
        answer: {
          status: "adopted",
          note: "Adopted: the mould now has a loop on the base as well as the handle. Thank you, you're in the credits.",
          afterHours: 40,
        },
        credit: "mention",
        comments: [{ author: 7, body: "Rated for the lantern's weight, please: it's 600 g.", afterHours: 30 }],
      },
      {
        title: "Tell each backer which school got their donated lantern",
        kind: "reward",
        body: "You donate one lantern for every ten sold. Telling the backer **which school** received it, with a photo, would mean a lot.",
        author: 3,
        daysAgo: 15,
        votes: 11,
        answer: {
          status: "under_review",
          note: "We're asking our partner schools whether they're happy to be named and photographed.",
          afterHours: 50,
        },
      },
      {
        title: "Publish the battery's cycle tests",
        kind: "other",
        body: "You say 2,000 cycles. Publishing the **test curves** would let us check, and it would answer the sceptics.",
        author: 4,
        daysAgo: 13,
        votes: 9,
        answer: {
          status: "adopted",
          note: "Adopted: the curves from the test lab go up with the next update.",
          afterHours: 20,
        },
      },
      {
        title: "Bright orange instead of charcoal",
        kind: "design",
        body: "A charcoal lantern is hard to find when you drop it in the dark.",
        author: 6,
        daysAgo: 12,
        votes: 7,
        answer: {
          status: "declined",
          note: "Orange plastic fades within a year of sun. We'll add a reflective strip to the handle instead.",
          afterHours: 10,
        },
        comments: [{ author: 8, body: "The reflective strip is a good answer.", afterHours: 20 }],
      },
      {
        title: "Chain two lanterns off one panel",
        kind: "feature",
        body: "A second lantern without its own panel would be cheaper for a two-room house.",
        author: 9,
        daysAgo: 10,
        votes: 6,
        answer: {
          status: "declined",
          note: "One 5 W panel can't fill two batteries in a day, so both would run short. The two-pack is the cheaper way.",
          afterHours: 34,
        },
      },
      {
        title: "A warmer 2700 K light option",
        kind: "feature",
        body: "Cool white light feels like an office. A **warm white** choice would suit homes and restaurants.",
        author: 10,
        daysAgo: 8,
        votes: 8,
        answer: {
          status: "planned",
          note: "Planned: you'll choose warm or neutral in the backer survey.",
          afterHours: 22,
        },
      },
      {
        title: "A stand that holds the panel at the sun's angle",
        kind: "design",
        body: "Lying flat, the panel misses much of the morning sun. A fold-out leg at **30°** would help.",
        author: 11,
        daysAgo: 5,
        votes: 5,
      },
      {
        title: "Charge the lantern from a power bank too",
        kind: "feature",
        body: "On cloudy weeks I'd like to top it up from my power bank through the same USB-C port.",
        author: 12,
        daysAgo: 3,
        votes: 3,
      },
      {
        title: "Quick-start cards in Spanish and French",
        kind: "other",
        body: "Many of the partner schools are in Latin America and West Africa.",
        author: 13,
        daysAgo: 1,
        votes: 2,
      },
    ],
    polls: [
      {
        question: "Which colour should the second production batch come in?",
        options: ["Charcoal", "Sand", "Sea green"],
        policy: "backers",
        openedDaysAgo: 12,
        closesInDays: 10,
        voters: 20,
        early: [5, 3, 1],
        late: [1, 2, 9],
        changes: 3,
      },
    ],
  },
  {
    slug: "open-braille-labeller",
    policy: "backers",
    seed: 15_001,
    engaged: 0.7,
    ideas: [
      {
        title: "Tactile markers at the start and end of every label",
        kind: "feature",
        body: "When a label wraps around a jar I can't tell where it begins. A **raised bar** before the first cell and after the last would fix it.",
        author: 0,
        daysAgo: 40,
        votes: 17,
        answer: {
          status: "adopted",
          note: "Adopted: the firmware now embosses a start bar and an end dot. Thank you, this was our most-voted idea.",
          afterHours: 20,
        },
        credit: { tier: "Labeller" },
        comments: [
          { author: 3, body: "Yes! My grandmother asks me this every time.", afterHours: 5 },
          { author: "creator", body: "We tried it on the prototype this morning and it works well.", afterHours: 18 },
        ],
      },
      {
        title: "A Grade 2 (contracted) braille mode",
        kind: "feature",
        body: "Most adult readers use contracted braille. Long labels would be **a third shorter**, and the tape would last longer.\n\nLiblouis has open tables for it.",
        author: 1,
        daysAgo: 38,
        votes: 15,
        answer: {
          status: "planned",
          note: "Planned for the first firmware update after shipping, using the liblouis tables.",
          afterHours: 30,
        },
        comments: [{ author: 5, body: "Please make Grade 1 stay the default for learners.", afterHours: 40 }],
      },
      {
        title: "A tape cutter that leaves rounded corners",
        kind: "design",
        body: "Square corners catch on fingernails and peel off cupboard doors. A rounded cut would keep labels on for years.",
        author: "backer@example.com",
        daysAgo: 35,
        votes: 12,
        answer: {
          status: "adopted",
          note: "Adopted: the production cutter has a 2 mm radius. We have added you to the credits.",
          afterHours: 52,
        },
        credit: "mention",
      },
      {
        title: "Spanish and Portuguese keyboard layouts",
        kind: "feature",
        body: "Accented letters (á, ç, ñ) need their own cells. A layout switch would open the labeller to schools in Latin America.",
        author: 2,
        daysAgo: 33,
        votes: 11,
        answer: {
          status: "under_review",
          note: "We are checking the cell tables with a school in Lima before we commit.",
          afterHours: 70,
        },
      },
      {
        title: "Ship a sample card with every braille letter",
        kind: "reward",
        body: "A small card with the **whole alphabet** embossed, so sighted family members can learn alongside.",
        author: 4,
        daysAgo: 31,
        votes: 9,
        answer: { status: "adopted", note: "Adopted: every box now includes an alphabet card.", afterHours: 26 },
        credit: { tier: "Supporter" },
      },
      {
        title: "Rechargeable battery pack instead of AA cells",
        kind: "feature",
        body: "A USB-C battery would save buying batteries.",
        author: 6,
        daysAgo: 29,
        votes: 6,
        answer: {
          status: "declined",
          note: "AA cells keep the labeller repairable anywhere in the world. We will publish the specs so anyone can build a pack.",
          afterHours: 9,
        },
        comments: [{ author: 7, body: "Agree with the answer: AA rechargeables work fine.", afterHours: 15 }],
      },
      {
        title: "Printed text alongside the braille",
        kind: "feature",
        body: "A line of high-contrast print under the dots helps sighted helpers and people with low vision.",
        author: 8,
        daysAgo: 24,
        votes: 10,
        answer: {
          status: "planned",
          note: "Planned as an optional tape with a printable strip.",
          afterHours: 44,
        },
      },
      {
        title: "Audio feedback for each embossed character",
        kind: "feature",
        body: "A short beep or spoken letter as each cell is pressed.",
        author: 9,
        daysAgo: 21,
        votes: 4,
        answer: {
          status: "declined",
          note: "A speaker would add cost and battery drain; the tape guide clicks once per cell instead.",
          afterHours: 60,
        },
      },
      {
        title: "Publish the tape guide as a printable STL",
        kind: "design",
        body: "Schools could print spares on their own 3D printers.",
        author: 10,
        daysAgo: 17,
        votes: 8,
        answer: { status: "adopted", note: "Adopted: the STL is in the repository.", afterHours: 6 },
        credit: "mention",
      },
      {
        title: "A classroom bundle: five labellers and a teacher's guide",
        kind: "reward",
        body: "Teachers would back this as a school purchase if it came as a set with **lesson plans**.",
        author: 11,
        daysAgo: 12,
        votes: 7,
        answer: {
          status: "under_review",
          note: "We are pricing it with our manufacturer.",
          afterHours: 90,
        },
      },
      {
        title: "Magnetic tape for fridges and metal shelves",
        kind: "other",
        body: "Adhesive tape doesn't stick well to cold metal. A magnetic backing would be perfect in kitchens.",
        author: 12,
        daysAgo: 6,
        votes: 5,
        comments: [{ author: 2, body: "Also for filing cabinets at work.", afterHours: 10 }],
      },
      {
        title: "Label templates for spice jars and medicine",
        kind: "other",
        body: "A list of common words (*cumin*, *paracetamol*, *morning*) stored on the labeller, so they take one key press.",
        author: 13,
        daysAgo: 2,
        votes: 3,
      },
    ],
    polls: [
      {
        question: "Which tape should we add to the shop first?",
        options: ["9 mm clear", "12 mm yellow", "19 mm for jars"],
        policy: "backers",
        openedDaysAgo: 24,
        closesInDays: -10,
        voters: 19,
        early: [5, 2, 3],
        late: [1, 2, 6],
        changes: 3,
      },
    ],
  },
  {
    slug: "kintsugi-repair-kit",
    policy: "signed_in",
    seed: 15_002,
    engaged: 0.6,
    ideas: [
      {
        title: "A practice set of pre-broken tiles",
        kind: "reward",
        body: "I'm nervous about starting on my favourite cup. **Three cheap tiles**, already broken, would let me practise first.",
        author: 0,
        daysAgo: 30,
        votes: 16,
        answer: {
          status: "adopted",
          note: "Adopted: every kit ships with three practice tiles. Thank you for the idea!",
          afterHours: 14,
        },
        credit: { tier: "Starter kit" },
        comments: [
          { author: 4, body: "This would have saved my first bowl.", afterHours: 6 },
          { author: "creator", body: "Our craftsman starts his students exactly this way.", afterHours: 13 },
        ],
      },
      {
        title: "Subtitles in English and Spanish for the video lessons",
        kind: "feature",
        body: "The craftsman speaks Japanese; subtitles would let more of us follow the **timing of each coat**.",
        author: 1,
        daysAgo: 28,
        votes: 14,
        answer: { status: "adopted", note: "Adopted: subtitles are being translated now.", afterHours: 8 },
        credit: "mention",
      },
      {
        title: "Silver and copper powders as alternatives to gold",
        kind: "feature",
        body: "Gold looks wonderful on dark glazes, but **silver** suits pale porcelain better. Both are traditional.",
        author: 2,
        daysAgo: 26,
        votes: 12,
        answer: {
          status: "planned",
          note: "Planned as an add-on; the poll is deciding which metal comes first.",
          afterHours: 36,
        },
      },
      {
        title: "A lesson on mending chipped rims, not only cracks",
        kind: "feature",
        body: "Most of my broken pieces are **chipped**, not split. Filling a chip needs a different technique (sabi).",
        author: 3,
        daysAgo: 22,
        votes: 10,
        answer: { status: "adopted", note: "Adopted: a lesson on chips is filmed.", afterHours: 50 },
        credit: "mention",
      },
      {
        title: "A synthetic lacquer option for people allergic to urushi",
        kind: "other",
        body: "Raw urushi causes a rash for some people, even with gloves.",
        author: 5,
        daysAgo: 20,
        votes: 8,
        answer: {
          status: "under_review",
          note: "We are testing two food-safe epoxies; neither cures as beautifully yet.",
          afterHours: 72,
        },
        comments: [{ author: 6, body: "I react to urushi too, so I'd love this.", afterHours: 30 }],
      },
      {
        title: "A fold-flat humidity box (muro) from cardboard",
        kind: "design",
        body: "Urushi cures in humid air. A cardboard box with a damp cloth and a **printed hygrometer strip** would do.",
        author: 7,
        daysAgo: 17,
        votes: 9,
        answer: { status: "planned", note: "Planned: the kit's box will unfold into one.", afterHours: 20 },
      },
      {
        title: "Gift wrapping with a handwritten card",
        kind: "reward",
        body: "Many of us are giving the kit as a present.",
        author: 8,
        daysAgo: 14,
        votes: 5,
        answer: {
          status: "declined",
          note: "We pack from a small studio and cannot hand-write hundreds of cards; a printable card will be in the lessons.",
          afterHours: 11,
        },
      },
      {
        title: "Add a small glove size",
        kind: "design",
        body: "The gloves are too big for small hands, and loose gloves smear the lacquer.",
        author: 9,
        daysAgo: 9,
        votes: 6,
      },
      {
        title: "A community gallery of repaired pieces",
        kind: "other",
        body: "Backers could share photos of their first repairs; seeing others' work is motivating.",
        author: 10,
        daysAgo: 5,
        votes: 4,
      },
      {
        title: "Timer cards for each curing stage",
        kind: "design",
        body: "A card per stage (*mugi-urushi*, *sabi*, *gold*) with how long to wait before the next.",
        author: 11,
        daysAgo: 1,
        votes: 2,
      },
    ],
    polls: [
      {
        question: "Which metal powder should be our first add-on?",
        options: ["Silver", "Copper", "Brass (gold-coloured)", "Platinum"],
        policy: "signed_in",
        openedDaysAgo: 9,
        closesInDays: 5,
        voters: 24,
        early: [2, 5, 2, 1],
        late: [6, 2, 3, 1],
        changes: 4,
      },
    ],
  },
  {
    slug: "lamparas-ceramica-triana",
    policy: "backers",
    seed: 15_003,
    engaged: 0.75,
    ideas: [
      {
        title: "Un esmalte granate como el de los azulejos antiguos",
        kind: "design",
        body: "Los azulejos de la calle Alfarería tienen un **granate** precioso. Quedaría muy bien junto al azul cobalto.",
        author: "lucia@example.com",
        daysAgo: 12,
        votes: 11,
        answer: {
          status: "adopted",
          note: "¡Adoptada! Hemos recuperado la receta del granate de mi abuelo. Gracias, Lucía.",
          afterHours: 22,
        },
        credit: "mention",
      },
      {
        title: "Regulador de intensidad en el cable",
        kind: "feature",
        body: "Para usar la lámpara de mesa también como luz de noche.",
        author: 0,
        daysAgo: 11,
        votes: 9,
        answer: { status: "planned", note: "Lo ofreceremos como opción en el formulario de esmalte.", afterHours: 40 },
      },
      {
        title: "Visita al taller para los mecenas de Sevilla",
        kind: "reward",
        body: "Ver el torno y el horno en persona sería un regalo en sí mismo.",
        author: 1,
        daysAgo: 9,
        votes: 8,
        answer: {
          status: "under_review",
          note: "Estamos mirando fechas; el taller es pequeño y queremos hacerlo bien.",
          afterHours: 30,
        },
        comments: [{ author: 3, body: "¡Yo iría con mis hijos!", afterHours: 8 }],
      },
      {
        title: "Pantalla más grande para la lámpara de techo",
        kind: "design",
        body: "En salones altos 24 cm se queda corta; 32 cm sería ideal.",
        author: 2,
        daysAgo: 7,
        votes: 5,
        answer: {
          status: "declined",
          note: "Una pantalla de 32 cm no cabe en nuestro horno actual; quizá con el nuevo.",
          afterHours: 16,
        },
      },
      {
        title: "Bombilla de filamento en vez de LED blanco",
        kind: "other",
        body: "La luz cálida de filamento resalta mejor el esmalte.",
        author: 4,
        daysAgo: 4,
        votes: 4,
      },
      {
        title: "Un azulejo con el nombre de cada mecenas",
        kind: "reward",
        body: "Un pequeño mural en la puerta del alfar con todos los nombres.",
        author: 5,
        daysAgo: 2,
        votes: 3,
      },
    ],
  },
];

/**
 * Opens the demo boards and fills them. Runs after the campaigns (and, with Stripe, their
 * settlement) are seeded; a board that already has ideas is left as it is, so running it again
 * adds nothing.
 */
export async function seedDemoCrowd(db: Db, { now = new Date() }: { now?: Date } = {}) {
  for (const board of DEMO_BOARDS) await seedBoard(db, board, now);
}

async function seedBoard(db: Db, board: DemoBoard, now: Date) {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "creator_id", "idea_count"])
    .where("slug", "=", board.slug)
    .executeTakeFirst();
  if (!campaign || campaign.idea_count > 0) return;
  const rand = seededRandom(board.seed);
  const backers = (
    await db
      .selectFrom("pledges")
      .innerJoin("users", "users.id", "pledges.backer_id")
      .select(["users.id", "users.email"])
      .where("pledges.campaign_id", "=", campaign.id)
      .where("pledges.state", "in", COUNTED_STATES)
      .orderBy("users.email")
      .execute()
  ).filter((u, i, all) => all.findIndex((v) => v.id === u.id) === i);
  if (backers.length === 0) return;
  // Anyone signed in may take part on an open board: the other demo backers join in.
  const others =
    board.policy === "signed_in"
      ? await db
          .selectFrom("users")
          .select(["id", "email"])
          .where("email", "like", "%@backers.example")
          .where(
            "id",
            "not in",
            backers.map((b) => b.id),
          )
          .orderBy("email")
          .execute()
      : [];
  // Not everyone takes part: the engaged share, the same people on every run.
  const engagedOf = (list: { id: string; email: string }[]) =>
    [...list]
      .filter((u) => !NAMED_DEMO_USERS.includes(u.email))
      .sort(() => rand() - 0.5)
      .slice(0, Math.ceil(list.length * board.engaged))
      .map((u) => u.id);
  const engagedBackers = engagedOf(backers);
  const pool = [...engagedBackers, ...engagedOf(others)];
  const emails = new Map(
    (await db.selectFrom("users").select(["id", "email"]).where("email", "in", NAMED_DEMO_USERS).execute()).map((u) => [
      u.email,
      u.id,
    ]),
  );
  // A number is the n-th engaged backer; the named demo users post only where the data says so.
  const who = (w: Who): string | undefined =>
    w === "creator"
      ? campaign.creator_id
      : typeof w === "number"
        ? engagedBackers[w % engagedBackers.length]
        : emails.get(w);
  const creator = { campaignId: campaign.id, creatorId: campaign.creator_id };

  await setIdeaBoard(db, {
    campaignId: campaign.id,
    actor: { userId: campaign.creator_id, staff: false },
    enabled: true,
    policy: board.policy,
  });
  const tiers = await db.selectFrom("tiers").select(["id", "title"]).where("campaign_id", "=", campaign.id).execute();

  for (const idea of board.ideas) {
    const authorId = who(idea.author);
    if (!authorId) continue;
    const createdAt = new Date(now.getTime() - idea.daysAgo * DAY - Math.floor(rand() * 8 * HOUR));
    const { id } = await recordIdea(db, {
      campaignId: campaign.id,
      authorId,
      title: idea.title,
      kind: idea.kind,
      bodyMd: idea.body,
      now: createdAt,
    });
    const later = (hours: number) => new Date(Math.min(createdAt.getTime() + hours * HOUR, now.getTime() - HOUR));

    const voters = [...pool].sort(() => rand() - 0.5).slice(0, Math.min(idea.votes, pool.length));
    for (const userId of voters) await castIdeaVote(db, { ideaId: id, userId });

    for (const c of idea.comments ?? []) {
      const commenter = who(c.author);
      if (!commenter) continue;
      const row = await recordComment(db, {
        campaignId: campaign.id,
        updateId: null,
        ideaId: id,
        parentId: null,
        authorId: commenter,
        bodyMd: c.body,
      });
      // created_at is never updated by the app (the schema types say so); the demo moves it back.
      await sql`update comments set created_at = ${later(c.afterHours)} where id = ${row.id}`.execute(db);
    }

    if (idea.answer) {
      await answerIdea(db, {
        ideaId: id,
        ...creator,
        status: idea.answer.status,
        note: idea.answer.note,
        now: later(idea.answer.afterHours),
      });
      if (idea.credit) {
        const tierId =
          idea.credit === "mention"
            ? null
            : (tiers.find((t) => t.title === (idea.credit as { tier: string }).tier)?.id ?? null);
        await creditIdea(db, {
          ideaId: id,
          ...creator,
          kind: idea.credit === "mention" || !tierId ? "mention" : "reward",
          tierId,
        });
      }
    }
  }
  // Votes arrive over the weeks after each idea, not all at the moment of seeding (the board's
  // "trending" counts the last seven days).
  await sql`
    update idea_votes v
    set created_at = i.created_at + (${now}::timestamptz - i.created_at) * (0.05 + 0.9 * random())
    from ideas i
    where i.id = v.idea_id and i.campaign_id = ${campaign.id}`.execute(db);

  for (const poll of board.polls ?? [])
    await seedPoll(db, {
      ...creator,
      poll,
      pool: poll.policy === "backers" ? engagedBackers : pool,
      rand,
      now,
    });
}

/**
 * A poll whose votes arrive over its days, drawn toward each option with a pull that moves from
 * `early` to `late`; a few voters change their mind later. Each vote carries its moment, so
 * poll_vote_events replay into a chart with a shape.
 */
async function seedPoll(
  db: Db,
  {
    campaignId,
    creatorId,
    poll,
    pool,
    rand,
    now,
  }: { campaignId: string; creatorId: string; poll: DemoPoll; pool: string[]; rand: () => number; now: Date },
) {
  const openedAt = new Date(now.getTime() - poll.openedDaysAgo * DAY);
  const closesAt = new Date(now.getTime() + poll.closesInDays * DAY);
  const pollId = await createPoll(db, {
    campaignId,
    creatorId,
    question: poll.question,
    options: poll.options,
    closesAt,
    policy: poll.policy,
    now: openedAt,
  });
  if (!pollId) return;
  const options = await db
    .selectFrom("poll_options")
    .select("id")
    .where("poll_id", "=", pollId)
    .orderBy("position")
    .execute();
  const span = Math.min(closesAt.getTime(), now.getTime()) - openedAt.getTime() - HOUR;
  const pick = (progress: number) => {
    const weights = poll.early.map((e, i) => e * (1 - progress) + poll.late[i]! * progress);
    let r = rand() * weights.reduce((s, w) => s + w, 0);
    const index = weights.findIndex((w) => (r -= w) < 0);
    return options[index < 0 ? 0 : index]!.id;
  };
  const voters = [...pool].sort(() => rand() - 0.5).slice(0, Math.min(poll.voters, pool.length));
  // Votes come quickly at first, then taper off (1 - sqrt(u) is densest near the start).
  const votes = voters
    .map((userId) => {
      const progress = 1 - Math.sqrt(rand());
      return { userId, progress, optionId: pick(progress) };
    })
    .sort((a, b) => a.progress - b.progress);
  const changes = votes.slice(0, poll.changes).map((v) => {
    const progress = Math.min(0.98, v.progress + 0.3 + rand() * 0.4);
    let optionId = pick(progress);
    if (optionId === v.optionId) optionId = options.find((o) => o.id !== v.optionId)!.id;
    return { userId: v.userId, progress, optionId };
  });
  for (const v of [...votes, ...changes].sort((a, b) => a.progress - b.progress))
    await castPollVote(db, {
      pollId,
      optionId: v.optionId,
      userId: v.userId,
      now: new Date(openedAt.getTime() + HOUR + v.progress * span),
    });
}
