import { sql } from "kysely";
import type {
  CampaignLanguage,
  CampaignState,
  Collection,
  CurrencyCode,
  Db,
  FundingModel,
  PledgeState,
  Trx,
} from "../../db/schema.js";
import { storyColumns, updateBodyColumns } from "../../app/domain/markdown";
import { transitionCampaign } from "../../app/models/campaign-state.server";
import { recordComment } from "../../app/models/comment-state.server";
import { recordNewPledge } from "../../app/models/pledge-state.server";
import { normalizeEmail } from "../../app/models/user.server";
import { renderCoverPng, type CoverShape } from "./cover-art";
import { storeImage } from "../../app/services/images.server";
import { seededRandom } from "./random";

// The demo's campaigns: realistic projects in every state a visitor, a backer, a creator and the
// finance desk need to see, with tiers, updates, covers and pledges from forty backers. Counters
// (pledged_amount, backer_count, claimed_count) go through recordNewPledge, so they equal the
// sums over the pledges exactly, and state moves go through transitionCampaign (history rows).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface DemoTier {
  title: string;
  description: string;
  /** Major units (dollars, euros, yen). */
  price: number;
  limit?: number;
  /** Fill a limited tier completely. */
  soldOut?: boolean;
  deliveryMonthsAfterEnd?: number;
  shipping?: Record<string, number>;
  /** Relative popularity when assigning pledges. */
  weight?: number;
}

interface DemoUpdate {
  title: string;
  body: string;
  visibility: "public" | "backers";
  /** Days after launch. */
  day: number;
}

interface DemoComment {
  /** The email of a demo user (a backer, the creator). */
  author: string;
  body: string;
  hoursAgo: number;
  replies?: DemoComment[];
}

interface DemoCampaign {
  slug: string;
  title: string;
  blurb: string;
  story: string;
  category: string;
  coverAlt: string;
  cover: { hue: number; shape: CoverShape };
  creator: string;
  currency: CurrencyCode;
  fundingModel?: FundingModel;
  collection?: Collection;
  featured?: boolean;
  outcome: "draft" | "live" | "funded" | "unfunded";
  /** Days the campaign runs. */
  durationDays: number;
  /** Deadline relative to now, in hours (negative: in the past). Ignored for drafts. */
  deadlineInHours: number;
  /** How far the pledges get toward the goal; the goal is rounded from it. */
  targetPercent: number;
  backers: number;
  /** Share of pledges activated in the last 48 hours (trending). */
  momentum?: number;
  tiers: DemoTier[];
  updates?: DemoUpdate[];
  /** backer@example.com backs it (an active pledge). */
  demoBacker?: boolean;
  /** Who may comment: backers (the default) or anyone signed in. */
  commentPolicy?: "backers" | "signed_in";
  /** The conversation on its project page, newest last. */
  comments?: DemoComment[];
  /** The language it is written in; English when absent. */
  language?: CampaignLanguage;
  /** The Spanish-speaking demo backer (DEMO_SPANISH_BACKER) backs it. */
  spanishBacker?: boolean;
}

/** The demo backer who reads the site in Spanish (users.locale = 'es'), made by seedDemoData. */
export const DEMO_SPANISH_BACKER = "lucia@example.com";

const CREATORS = [
  { email: "creator@example.com", name: "Carlos Creator" },
  { email: "ana@lumenworks.example", name: "Ana Ruiz" },
  { email: "kenji@tideline.example", name: "Kenji Mori" },
  { email: "marta@fieldnotes.example", name: "Marta Kowalska" },
  { email: "hello@oakandember.example", name: "Oak & Ember Studio" },
  { email: "priya@quiethours.example", name: "Priya Natarajan" },
  { email: "ines@alfartriana.example", name: "Inés Montoya" },
  { email: "javier@cuadernosdecampo.example", name: "Javier Arbizu" },
];

const FIRST = [
  "Ada",
  "Ben",
  "Chiara",
  "Dmitri",
  "Elif",
  "Farah",
  "Gustavo",
  "Hana",
  "Ines",
  "Jonas",
  "Kofi",
  "Lena",
  "Mateo",
  "Nadia",
  "Olu",
  "Paula",
  "Quinn",
  "Rosa",
  "Sven",
  "Tariq",
];
const LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Fischer", "Brennan", "Costa"];

/** Forty backers, sharing the demo password. */
const DEMO_BACKERS = Array.from({ length: 40 }, (_, i) => {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  return { email: `${first}.${last}${i >= 20 ? i : ""}@backers.example`.toLowerCase(), name: `${first} ${last}` };
});

const story = (...sections: string[]) => sections.join("\n\n");

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  {
    slug: "lumen-solar-lantern",
    title: "Lumen: the solar lantern that charges your phone",
    blurb:
      "A weatherproof lantern that stores a day of sunshine for a week of evenings — and tops up your phone while it's at it.",
    category: "hardware",
    coverAlt: "A pale sun rising over a warm orange horizon",
    cover: { hue: 22, shape: "sun" },
    creator: "ana@lumenworks.example",
    currency: "usd",
    featured: true,
    outcome: "live",
    durationDays: 40,
    deadlineInHours: 18 * 24 + 5,
    targetPercent: 64,
    backers: 34,
    momentum: 0.2,
    demoBacker: true,
    spanishBacker: true,
    comments: [
      {
        author: "backer@example.com",
        body: "How long does a full charge last on the brightest setting?",
        hoursAgo: 72,
        replies: [
          {
            author: "ana@lumenworks.example",
            body: "About **9 hours** on high and 40 on the night-light setting. A full day of sun fills it.",
            hoursAgo: 70,
          },
        ],
      },
      {
        author: "lucia@example.com",
        body: "¿Hacéis envíos a España? Me encantaría regalar una a mi padre.",
        hoursAgo: 20,
        replies: [
          {
            author: "ana@lumenworks.example",
            body: "¡Sí! Enviamos a toda la Unión Europea; los gastos se ven al elegir la recompensa.",
            hoursAgo: 18,
          },
        ],
      },
    ],
    story: story(
      "## Light that doesn't need the grid",
      "Two years ago we spent a monsoon season in a village where the power went out every evening at six. Families lit kerosene lamps, children did homework by torchlight, and phones died by nine. **Lumen** is the lantern we wished we'd had.",
      "A 5 W monocrystalline panel folds flat into the lid. Four hours of sun give you **seven evenings** of warm, flicker-free light at the lowest setting, or a full phone charge through the USB-C port.",
      "## What's inside",
      "- 6,000 mAh LiFePO₄ cell rated for 2,000 cycles (no swelling, no fire risk)\n- IP67 housing, tested in a rain chamber for 200 hours\n- Three brightness levels plus a dim night-light mode\n- Replaceable battery and panel: four screws, no glue",
      "## Where the money goes",
      "Our goal covers the injection-mould tooling (about 60%), certification for the US and EU (25%), and the first production run. If we pass the goal, every extra lantern lowers the unit cost — and we'll donate one lantern for every ten sold to our partner schools.",
      "> We'd rather ship late than ship something that breaks. You'll get an honest update every two weeks.",
    ),
    tiers: [
      {
        title: "Early bird lantern",
        description: "One Lumen lantern at our lowest price ever, for the first dozen backers.",
        price: 49,
        limit: 12,
        soldOut: true,
        deliveryMonthsAfterEnd: 5,
        shipping: { US: 10, ROW: 25 },
        weight: 3,
      },
      {
        title: "Lumen lantern",
        description: "One Lumen lantern in charcoal or sand, with a braided USB-C cable.",
        price: 59,
        deliveryMonthsAfterEnd: 5,
        shipping: { US: 10, ROW: 25 },
        weight: 5,
      },
      {
        title: "Two-pack for friends",
        description: "Two lanterns — keep one, gift one. Ships in one box.",
        price: 110,
        deliveryMonthsAfterEnd: 5,
        shipping: { US: 12, ROW: 30 },
        weight: 2,
      },
      {
        title: "Thank you",
        description: "Our thanks, your name on our website, and every backer update.",
        price: 5,
        weight: 1,
      },
    ],
    updates: [
      {
        title: "We're live — thank you!",
        body: "Forty-eight hours in and we're past a third of the goal. Thank you for trusting us with your pledges.\n\nNext update: the rain-chamber results.",
        visibility: "public",
        day: 2,
      },
      {
        title: "Rain chamber results (backers only)",
        body: "Our three test units survived **200 hours** of simulated monsoon rain with no ingress. Photos of the teardown are below, along with the one gasket we're redesigning anyway.",
        visibility: "backers",
        day: 14,
      },
    ],
  },
  {
    slug: "tideline-ocean-sensor-buoy",
    title: "Tideline: an open-source ocean sensor buoy",
    blurb:
      "Measure water temperature, salinity and waves from your own pier, and share the data with scientists worldwide.",
    category: "technology",
    coverAlt: "Teal waves rolling under a pale moon",
    cover: { hue: 190, shape: "hills" },
    creator: "kenji@tideline.example",
    currency: "eur",
    fundingModel: "flexible",
    featured: true,
    outcome: "live",
    durationDays: 30,
    deadlineInHours: 9 * 24 + 3,
    targetPercent: 128,
    backers: 38,
    momentum: 0.12,
    story: story(
      "## Coastal data is scarce",
      "Satellites see the ocean's surface from above, but the water right at the coast — where people swim, fish and farm oysters — is badly measured. Tideline is a small buoy anyone can moor at a pier to record **temperature, salinity and wave height** every ten minutes.",
      "## Open by design",
      "The hardware files, firmware and data format are published under open licences. Every buoy can upload to the open Tideline map, where researchers already use the data from our 40 pilot buoys.",
      "## The plan",
      "1. Finalise the pressure housing (done)\n2. Order the custom PCB run (funded by this campaign)\n3. Ship kits and assembled buoys\n4. Host online build sessions for schools",
      "This is a **flexible** campaign: we'll build as many buoys as the pledges allow.",
    ),
    tiers: [
      {
        title: "Data supporter",
        description: "Your name on the map's supporters page and early access to the API.",
        price: 15,
        weight: 3,
      },
      {
        title: "Buoy kit",
        description: "Every part you need to build a Tideline buoy, plus the online build session.",
        price: 180,
        deliveryMonthsAfterEnd: 4,
        shipping: { EU: 12, GB: 18, ROW: 35 },
        weight: 4,
      },
      {
        title: "Assembled buoy",
        description: "Built, calibrated and tested by us. Moor it and switch it on.",
        price: 320,
        limit: 40,
        deliveryMonthsAfterEnd: 6,
        shipping: { EU: 15, GB: 20, ROW: 40 },
        weight: 2,
      },
    ],
    updates: [
      {
        title: "Past the goal in a week!",
        body: "We never expected this. Every extra pledge now funds buoys for schools — we'll share the list soon.",
        visibility: "public",
        day: 7,
      },
    ],
  },
  {
    slug: "fieldnotes-pocket-synth",
    title: "Fieldnotes: a pocket synth for field recordings",
    blurb:
      "Record birdsong, trains and rain, then play them back as instruments — all on a device the size of a cassette.",
    category: "music",
    coverAlt: "Concentric rings spreading like sound waves on green",
    cover: { hue: 110, shape: "rings" },
    creator: "marta@fieldnotes.example",
    currency: "usd",
    outcome: "live",
    durationDays: 45,
    deadlineInHours: 25 * 24 + 11,
    targetPercent: 31,
    backers: 24,
    momentum: 0.1,
    story: story(
      "## A sampler you can take for a walk",
      "Fieldnotes has a stereo microphone, a speaker and sixteen pads. Press record, capture a sound, and it's instantly playable across two octaves.",
      "- 8 hours of battery\n- MIDI over USB-C\n- 4 GB of storage — about 6 hours of stereo audio",
      "We've built twelve prototypes and handed them to musicians on four continents. Their recordings are on our site.",
    ),
    tiers: [
      {
        title: "Digital sample pack",
        description: "Our 400-sound field library, yours to keep.",
        price: 12,
        weight: 2,
      },
      {
        title: "Fieldnotes",
        description: "One Fieldnotes synth in graphite.",
        price: 149,
        deliveryMonthsAfterEnd: 7,
        shipping: { US: 8, CA: 15, ROW: 28 },
        weight: 5,
      },
      {
        title: "Fieldnotes + case",
        description: "The synth plus a felt case and a lanyard.",
        price: 169,
        limit: 100,
        deliveryMonthsAfterEnd: 7,
        shipping: { US: 8, CA: 15, ROW: 28 },
        weight: 2,
      },
    ],
  },
  {
    slug: "harvest-table-community-cookbook",
    title: "Harvest Table: a cookbook from community gardens",
    blurb:
      "Seventy recipes from twelve community gardens across the UK, with the stories of the people who grow the food.",
    category: "publishing",
    coverAlt: "Soft green hills under a low sun",
    cover: { hue: 85, shape: "hills" },
    creator: "hello@oakandember.example",
    currency: "gbp",
    featured: true,
    outcome: "live",
    durationDays: 28,
    deadlineInHours: 0.75,
    targetPercent: 93,
    backers: 33,
    momentum: 0.3,
    story: story(
      "## Twelve gardens, seventy recipes",
      "For a year we visited community gardens from Cornwall to the Orkneys. Every recipe in *Harvest Table* comes from a gardener, and every chapter follows one garden through its seasons.",
      "## The book",
      "- 240 pages, hardback, sewn binding\n- Photographed on location\n- Printed on FSC-certified paper in Bristol",
      "Ten percent of the proceeds go back to the gardens.",
    ),
    tiers: [
      { title: "E-book", description: "The full book as EPUB and PDF.", price: 12, weight: 2 },
      {
        title: "Hardback",
        description: "The hardback, signed by the authors.",
        price: 30,
        deliveryMonthsAfterEnd: 4,
        shipping: { GB: 4, EU: 9, ROW: 15 },
        weight: 5,
      },
      {
        title: "Garden supper",
        description: "Two seats at a launch supper in Bristol, plus a hardback.",
        price: 120,
        limit: 4,
        soldOut: true,
        deliveryMonthsAfterEnd: 3,
        weight: 1,
      },
    ],
    updates: [
      {
        title: "The last recipe is tested",
        body: "Our final recipe — Orkney bere bannocks — passed its third test bake. Thank you for getting us this far.",
        visibility: "public",
        day: 20,
      },
    ],
  },
  {
    slug: "night-shift-board-game",
    title: "Night Shift: a cooperative board game about hospital life",
    blurb: "Two to five players run a hospital ward through one long night. Designed with nurses, for everyone.",
    category: "games",
    coverAlt: "Three overlapping violet cards on a purple background",
    cover: { hue: 265, shape: "blocks" },
    creator: "hello@oakandember.example",
    currency: "usd",
    collection: "immediate",
    outcome: "live",
    durationDays: 21,
    deadlineInHours: 3 * 24 + 7,
    targetPercent: 214,
    backers: 40,
    momentum: 0.35,
    demoBacker: true,
    story: story(
      "## Everyone survives the night, or nobody does",
      "In *Night Shift* you are the nurses, porters and doctors on a busy ward. Patients arrive, emergencies cascade, and coffee runs out. You win together by the morning handover — or lose together.",
      "## Made with people who know",
      "We played the game with over 60 nurses during development. Their stories became the event cards, and a share of every copy goes to a nurses' benevolent fund.",
      "## In the box",
      "- 110 event cards\n- 5 double-sided role boards\n- A ward board and 40 patient tokens\n- Rules in English, Spanish and Portuguese",
    ),
    tiers: [
      { title: "Print and play", description: "Printable PDF of the complete game.", price: 15, weight: 1 },
      {
        title: "Night Shift",
        description: "The complete game.",
        price: 45,
        deliveryMonthsAfterEnd: 6,
        shipping: { US: 9, CA: 14, EU: 16, ROW: 22 },
        weight: 6,
      },
      {
        title: "Deluxe night",
        description: "The game plus the Night Owl expansion and metal coffee tokens.",
        price: 75,
        limit: 150,
        deliveryMonthsAfterEnd: 6,
        shipping: { US: 9, CA: 14, EU: 16, ROW: 22 },
        weight: 3,
      },
    ],
    updates: [
      {
        title: "Funded in 40 hours!",
        body: "We're funded. Stretch goal one — the Spanish and Portuguese rulebooks — is unlocked.",
        visibility: "public",
        day: 2,
      },
      {
        title: "Playtest diary: the 3 a.m. crisis deck",
        body: "For backers: a first look at the new crisis deck, and why we cut the 'Code Brown' card.",
        visibility: "backers",
        day: 10,
      },
    ],
  },
  {
    slug: "clearwater-gravity-filter",
    title: "Clearwater: a gravity water filter for off-grid homes",
    blurb: "Clean drinking water without pumps or power: a ceramic and carbon filter that fills a jug in minutes.",
    category: "sustainability",
    coverAlt: "Blue ripples spreading from a single drop",
    cover: { hue: 205, shape: "rings" },
    creator: "kenji@tideline.example",
    currency: "usd",
    outcome: "live",
    durationDays: 30,
    deadlineInHours: -2,
    targetPercent: 106,
    backers: 30,
    story: story(
      "## Water that's safe to drink, anywhere",
      "Clearwater uses gravity alone: pour water in the top, and a ceramic pre-filter plus an activated-carbon block remove 99.99% of bacteria and most chemical contaminants.",
      "Tested by an accredited lab against NSF/ANSI 42 and 53 methods. Full reports are linked below.",
    ),
    tiers: [
      {
        title: "Clearwater 6 L",
        description: "The 6-litre filter with one cartridge (lasts about 6 months).",
        price: 89,
        deliveryMonthsAfterEnd: 3,
        shipping: { US: 12, ROW: 30 },
        weight: 4,
      },
      {
        title: "Family pack",
        description: "The 10-litre filter and three spare cartridges.",
        price: 149,
        deliveryMonthsAfterEnd: 3,
        shipping: { US: 15, ROW: 35 },
        weight: 2,
      },
    ],
  },
  {
    slug: "kintsugi-repair-kit",
    title: "Kintsugi Kit: repair your ceramics with gold",
    blurb: "Everything you need to mend a broken cup the traditional Japanese way, with food-safe urushi lacquer.",
    category: "design",
    coverAlt: "Warm amber rectangles stacked like mended shards",
    cover: { hue: 38, shape: "blocks" },
    creator: "priya@quiethours.example",
    currency: "jpy",
    outcome: "funded",
    durationDays: 30,
    deadlineInHours: -5 * 24,
    targetPercent: 138,
    backers: 29,
    story: story(
      "## Beauty in the repair",
      "Kintsugi treats breakage as part of an object's history. Our kit uses real urushi lacquer and pure gold powder, with step-by-step video lessons from a Kyoto craftsman.",
      "- Urushi lacquer, rice flour and tonoko clay\n- 0.3 g of 24-carat gold powder\n- Brushes, spatulas and gloves",
    ),
    tiers: [
      {
        title: "Starter kit",
        description: "Enough materials to repair three small pieces.",
        price: 6800,
        deliveryMonthsAfterEnd: 2,
        shipping: { JP: 800, ROW: 2500 },
        weight: 5,
      },
      {
        title: "Workshop kit",
        description: "The starter kit plus a live online class.",
        price: 12000,
        limit: 30,
        deliveryMonthsAfterEnd: 2,
        shipping: { JP: 800, ROW: 2500 },
        weight: 2,
      },
    ],
    updates: [
      {
        title: "Funded — thank you!",
        body: "We reached 138% of our goal. Kits ship in two batches; batch one is being packed now.",
        visibility: "public",
        day: 31,
      },
    ],
  },
  {
    slug: "open-braille-labeller",
    title: "Open Braille Labeller",
    blurb: "An affordable, open-source braille label maker for kitchens, classrooms and offices.",
    category: "health",
    coverAlt: "Pale concentric rings on deep teal",
    cover: { hue: 170, shape: "rings" },
    creator: "ana@lumenworks.example",
    currency: "usd",
    fundingModel: "flexible",
    outcome: "funded",
    demoBacker: true,
    durationDays: 35,
    deadlineInHours: -12 * 24,
    targetPercent: 87,
    backers: 26,
    story: story(
      "## Labels everyone can read",
      "Commercial braille label makers cost hundreds of dollars. Ours embosses standard 12 mm tape, runs on AA batteries, and costs a fraction — and every design file is open.",
      "We worked with three schools for the blind on the keyboard layout and the tape guide.",
    ),
    tiers: [
      { title: "Supporter", description: "Fund a labeller for a school, with our thanks.", price: 25, weight: 2 },
      {
        title: "Labeller",
        description: "One Open Braille Labeller and two rolls of tape.",
        price: 79,
        deliveryMonthsAfterEnd: 4,
        shipping: { US: 8, ROW: 20 },
        weight: 5,
      },
    ],
  },
  {
    slug: "story-seeds-bilingual-books",
    title: "Story Seeds: bilingual picture books",
    blurb: "Six picture books in English and Spanish, written by children's authors from both languages.",
    category: "education",
    coverAlt: "A bright sun over rolling pink hills",
    cover: { hue: 330, shape: "sun" },
    creator: "creator@example.com",
    currency: "usd",
    outcome: "unfunded",
    demoBacker: true,
    durationDays: 30,
    deadlineInHours: -8 * 24,
    targetPercent: 41,
    backers: 18,
    story: story(
      "## Books that speak two languages",
      "Every page of a Story Seeds book tells the story in English and Spanish side by side, so families can read together in either language.",
      "We fell short this time. We're grateful to every backer and we'll be back with a smaller first run.",
    ),
    tiers: [
      {
        title: "One book",
        description: "Your choice of title, in hardback.",
        price: 18,
        deliveryMonthsAfterEnd: 5,
        shipping: { US: 4, ROW: 12 },
        weight: 4,
      },
      {
        title: "The full set",
        description: "All six books in a slipcase.",
        price: 90,
        deliveryMonthsAfterEnd: 6,
        shipping: { US: 8, ROW: 25 },
        weight: 2,
      },
    ],
  },
  {
    slug: "ferment-lab-kombucha-brewer",
    commentPolicy: "signed_in",
    title: "Ferment Lab: a countertop kombucha brewer",
    blurb: "Keeps your brew at exactly the right temperature and tells your phone when it's ready to bottle.",
    category: "food",
    coverAlt: "Amber hills beneath a glowing sun",
    cover: { hue: 45, shape: "hills" },
    creator: "creator@example.com",
    currency: "usd",
    outcome: "live",
    durationDays: 30,
    deadlineInHours: 28 * 24,
    targetPercent: 14,
    backers: 16,
    momentum: 0.6,
    story: story(
      "## Better booch, less guesswork",
      "Kombucha is fussy about temperature. Ferment Lab wraps a 4-litre glass vessel in a gentle heater and a sensor, holding your brew at 25 °C through cold nights.",
      "- 4 L borosilicate vessel with a brass tap\n- pH and temperature sensing\n- Works without an app; the app just makes it nicer",
    ),
    tiers: [
      { title: "Recipe book", description: "Our 40-recipe flavour guide (PDF).", price: 10, weight: 1 },
      {
        title: "Ferment Lab",
        description: "The brewer, a SCOBY starter and the recipe book.",
        price: 139,
        deliveryMonthsAfterEnd: 6,
        shipping: { US: 15, CA: 25 },
        weight: 5,
      },
    ],
  },
  {
    slug: "quiet-hours-sleep-alarm",
    title: "Quiet Hours: a sleep-friendly smart alarm",
    blurb: "A bedside light that wakes you with a slow sunrise, and has no screen to keep you up at night.",
    category: "health",
    coverAlt: "A soft sunrise over a lavender horizon",
    cover: { hue: 285, shape: "sun" },
    creator: "priya@quiethours.example",
    currency: "eur",
    fundingModel: "flexible",
    collection: "immediate",
    outcome: "live",
    durationDays: 40,
    deadlineInHours: 30 * 24 + 2,
    targetPercent: 48,
    backers: 27,
    momentum: 0.08,
    story: story(
      "## Wake up gently",
      "Quiet Hours fades from deep red to daylight over thirty minutes before your alarm. There's no screen and no notifications: set it with two dials, or from your phone if you must.",
      "Designed with a sleep clinic in Utrecht, and tested by 80 people for three months.",
    ),
    tiers: [
      {
        title: "Quiet Hours",
        description: "One Quiet Hours light in oak or ash.",
        price: 99,
        deliveryMonthsAfterEnd: 5,
        shipping: { EU: 9, GB: 14, ROW: 25 },
        weight: 5,
      },
      {
        title: "Pair",
        description: "Two lights, for both sides of the bed.",
        price: 185,
        limit: 60,
        deliveryMonthsAfterEnd: 5,
        shipping: { EU: 12, GB: 18, ROW: 30 },
        weight: 2,
      },
    ],
  },
  {
    slug: "atlas-of-small-rivers",
    title: "Atlas of Small Rivers",
    blurb: "A hand-drawn atlas of forty small rivers of Britain and Ireland, from source to sea.",
    category: "publishing",
    coverAlt: "Layered blue-green hills like a river valley",
    cover: { hue: 150, shape: "hills" },
    creator: "marta@fieldnotes.example",
    currency: "gbp",
    featured: true,
    outcome: "live",
    durationDays: 30,
    deadlineInHours: 14 * 24 + 20,
    targetPercent: 77,
    backers: 31,
    momentum: 0.15,
    story: story(
      "## Rivers you've never heard of",
      "Everyone knows the Thames. This atlas is about the Cynon, the Lune, the Ythan and thirty-seven more: small rivers walked end to end, mapped by hand in ink and watercolour.",
      "Each river gets a fold-out map, a page of natural history, and the stories of the people who live along it.",
    ),
    tiers: [
      {
        title: "Print",
        description: "An A3 print of your choice of river map.",
        price: 25,
        limit: 100,
        deliveryMonthsAfterEnd: 2,
        shipping: { GB: 5, EU: 10, ROW: 14 },
        weight: 2,
      },
      {
        title: "The Atlas",
        description: "The clothbound atlas.",
        price: 45,
        deliveryMonthsAfterEnd: 8,
        shipping: { GB: 5, EU: 11, ROW: 18 },
        weight: 5,
      },
      {
        title: "Collector's edition",
        description: "Numbered, slipcased and signed, with an original sketch.",
        price: 180,
        limit: 6,
        soldOut: true,
        deliveryMonthsAfterEnd: 9,
        shipping: { GB: 8, EU: 15, ROW: 24 },
        weight: 1,
      },
    ],
  },
  {
    slug: "loom-desktop-weaving-machine",
    title: "Loom: a desktop weaving machine",
    blurb: "A compact jacquard loom for designers and makers: weave your own patterns at your desk.",
    category: "design",
    coverAlt: "Stacked pastel rectangles like woven panels",
    cover: { hue: 15, shape: "blocks" },
    creator: "creator@example.com",
    currency: "usd",
    outcome: "draft",
    durationDays: 30,
    deadlineInHours: 0,
    targetPercent: 0,
    backers: 0,
    story: story(
      "## Weaving, reinvented for the desk",
      "Loom brings computer-controlled jacquard weaving to a machine the size of a sewing machine. Design a pattern, load the warp, and weave.",
      "*Draft: story and rewards still in progress.*",
    ),
    tiers: [
      {
        title: "Loom",
        description: "One Loom with a starter yarn pack.",
        price: 690,
        deliveryMonthsAfterEnd: 10,
        shipping: { US: 40 },
      },
    ],
  },
  {
    slug: "pocket-planetarium",
    title: "Pocket Planetarium",
    blurb: "A palm-sized star projector that turns any bedroom ceiling into tonight's sky.",
    category: "education",
    coverAlt: "Rings of light on a midnight-blue background",
    cover: { hue: 230, shape: "rings" },
    creator: "creator@example.com",
    currency: "usd",
    outcome: "draft",
    durationDays: 30,
    deadlineInHours: 0,
    targetPercent: 0,
    backers: 0,
    story: "## Tonight's sky, anywhere\n\nPoint it at the ceiling and see the stars as they are above you right now.",
    tiers: [],
  },
  // Campaigns written in Spanish (language "es"), priced in euros. Appended last so the English
  // campaigns keep their seeded numbers.
  {
    slug: "lamparas-ceramica-triana",
    language: "es",
    title: "Lámparas de cerámica torneadas a mano en Triana",
    blurb: "Lámparas de mesa y de techo hechas en un alfar sevillano de 1890, con esmaltes de la casa.",
    category: "design",
    coverAlt: "Un sol anaranjado sobre un horizonte de barro cocido",
    cover: { hue: 18, shape: "sun" },
    creator: "ines@alfartriana.example",
    currency: "eur",
    featured: true,
    outcome: "live",
    durationDays: 35,
    deadlineInHours: 21 * 24 + 3,
    targetPercent: 58,
    backers: 24,
    momentum: 0.25,
    spanishBacker: true,
    story: story(
      "## Barro de Triana, luz de casa",
      "Somos un alfar familiar del barrio de Triana. Cada lámpara sale del torno, se seca al aire una semana y se esmalta a mano con los azules y verdes que usamos desde hace cuatro generaciones.",
      "Con esta campaña compramos un horno eléctrico nuevo, que gasta la mitad que el viejo, y contratamos a una aprendiz durante un año.",
      "- Pantalla de gres esmaltado, de 24 cm\n- Cable textil de 2 m y portalámparas E27\n- Bombilla LED cálida incluida",
    ),
    tiers: [
      {
        title: "Un azulejo de la casa",
        description: "Un azulejo pintado a mano y nuestro agradecimiento.",
        price: 15,
        weight: 2,
      },
      {
        title: "Lámpara de mesa",
        description: "Una lámpara de mesa en el esmalte que elijas.",
        price: 95,
        deliveryMonthsAfterEnd: 3,
        shipping: { ES: 8, EU: 18, ROW: 35 },
        weight: 5,
      },
      {
        title: "Lámpara de techo",
        description: "Una lámpara colgante grande, firmada por la alfarera.",
        price: 180,
        limit: 40,
        deliveryMonthsAfterEnd: 4,
        shipping: { ES: 12, EU: 25, ROW: 45 },
        weight: 2,
      },
    ],
    updates: [
      {
        title: "¡Primera hornada!",
        body: "Esta semana hemos cocido las primeras veinte pantallas. Os dejamos fotos del esmaltado en el taller.",
        visibility: "public",
        day: 4,
      },
      {
        title: "Solo para patrocinadores: elige tu esmalte",
        body: "Os enviaremos un formulario para elegir entre azul cobalto, verde Triana y blanco roto.",
        visibility: "backers",
        day: 9,
      },
    ],
  },
  {
    slug: "cuaderno-de-campo-pirineo",
    language: "es",
    title: "Cuaderno de campo del Pirineo: aves y flores ilustradas",
    blurb: "Una guía de bolsillo con 120 acuarelas de aves y flores del Pirineo, para llevar en la mochila.",
    category: "publishing",
    coverAlt: "Colinas verdes superpuestas bajo un cielo claro",
    cover: { hue: 130, shape: "hills" },
    creator: "javier@cuadernosdecampo.example",
    currency: "eur",
    outcome: "funded",
    durationDays: 30,
    deadlineInHours: -9 * 24,
    targetPercent: 146,
    backers: 31,
    spanishBacker: true,
    story: story(
      "## Dibujado sobre el terreno",
      "Durante tres veranos recorrimos el Pirineo de Navarra a Girona con un cuaderno y una caja de acuarelas. El resultado son 120 láminas de aves y flores, con notas sobre dónde y cuándo verlas.",
      "El libro se imprime en papel reciclado, con tapas cosidas que aguantan la lluvia y un tamaño que cabe en el bolsillo del chubasquero.",
    ),
    tiers: [
      {
        title: "El cuaderno",
        description: "Un ejemplar del cuaderno de campo, firmado.",
        price: 28,
        deliveryMonthsAfterEnd: 3,
        shipping: { ES: 4, EU: 9, ROW: 16 },
        weight: 5,
      },
      {
        title: "Cuaderno y láminas",
        description: "El cuaderno y tres láminas originales en acuarela.",
        price: 75,
        limit: 25,
        soldOut: true,
        deliveryMonthsAfterEnd: 3,
        shipping: { ES: 4, EU: 9, ROW: 16 },
        weight: 2,
      },
    ],
    updates: [
      {
        title: "¡Financiado! Gracias",
        body: "Hemos llegado al 146 % del objetivo. Con lo que sobra añadimos un mapa plegable de las rutas.",
        visibility: "public",
        day: 31,
      },
    ],
  },
  {
    slug: "huerto-vertical-balcon",
    language: "es",
    title: "Huerto vertical para balcones pequeños",
    blurb: "Un huerto de riego automático que cabe en un metro de pared y da lechugas todo el año.",
    category: "sustainability",
    coverAlt: "Bloques verdes apilados como bancales",
    cover: { hue: 95, shape: "blocks" },
    creator: "ines@alfartriana.example",
    currency: "eur",
    outcome: "unfunded",
    durationDays: 30,
    deadlineInHours: -6 * 24,
    targetPercent: 37,
    backers: 14,
    story: story(
      "## Verdura fresca en un metro cuadrado",
      "Seis jardineras de plástico reciclado, un depósito de 20 litros y una bomba solar que riega sola. Pensado para los balcones de piso, donde no cabe una maceta más.",
      "No llegamos al objetivo esta vez. Gracias a quienes nos apoyasteis: no se ha cobrado a nadie, y volveremos con un modelo más sencillo.",
    ),
    tiers: [
      {
        title: "Kit de semillas",
        description: "Semillas ecológicas para un año de cultivos.",
        price: 12,
        weight: 2,
      },
      {
        title: "Huerto vertical",
        description: "El huerto completo con bomba solar.",
        price: 149,
        deliveryMonthsAfterEnd: 4,
        shipping: { ES: 15, EU: 30 },
        weight: 4,
      },
    ],
  },
];

/** Rounds a goal to a tidy figure (2 significant digits, in major units). */
function tidyGoal(amount: number, exponent: 0 | 2) {
  const major = amount / 10 ** exponent;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(major, 1))) - 1);
  return Math.max(1, Math.round(major / magnitude)) * magnitude * 10 ** exponent;
}

/**
 * Adds the demo campaigns, their creators and forty backers. Runs in one transaction; callers
 * seed only an empty database (seedDemoData). Needs the demo users (backer@, creator@) to exist.
 */
export async function seedDemoCampaigns(
  db: Db,
  {
    passwordHash,
    now = new Date(),
    covers = true,
    settledBySettlement = false,
  }: {
    passwordHash: string;
    now?: Date;
    covers?: boolean;
    /**
     * Leave the funded and unfunded campaigns at their deadline with active pledges, for the real
     * settlement to decide, charge and book (seedDemoPayments), instead of writing final states.
     */
    settledBySettlement?: boolean;
  },
) {
  await db.transaction().execute(async (trx) => {
    const users = new Map<string, string>();
    const existing = await trx
      .selectFrom("users")
      .select(["id", "email"])
      .where("email", "in", ["backer@example.com", "creator@example.com", DEMO_SPANISH_BACKER])
      .execute();
    for (const u of existing) users.set(u.email, u.id);
    const newUsers = [...CREATORS, ...DEMO_BACKERS].filter((u) => !users.has(normalizeEmail(u.email)));
    if (newUsers.length) {
      const inserted = await trx
        .insertInto("users")
        .values(newUsers.map((u) => ({ email: normalizeEmail(u.email), name: u.name, password_hash: passwordHash })))
        .onConflict((oc) => oc.column("email").doNothing())
        .returning(["id", "email"])
        .execute();
      for (const u of inserted) users.set(u.email, u.id);
    }
    const backerIds = DEMO_BACKERS.map((b) => users.get(normalizeEmail(b.email))!).filter(Boolean);
    const demoBackerId = users.get("backer@example.com");
    const spanishBackerId = users.get(DEMO_SPANISH_BACKER);

    for (const [index, spec] of DEMO_CAMPAIGNS.entries()) {
      await seedCampaign(trx, {
        spec,
        index,
        now,
        users,
        backerIds,
        demoBackerId,
        spanishBackerId,
        covers,
        settledBySettlement,
      });
    }
  });
}

async function seedCampaign(
  trx: Trx,
  {
    spec,
    index,
    now,
    users,
    backerIds,
    demoBackerId,
    spanishBackerId,
    covers,
    settledBySettlement,
  }: {
    settledBySettlement: boolean;
    spec: DemoCampaign;
    index: number;
    now: Date;
    users: Map<string, string>;
    backerIds: string[];
    demoBackerId: string | undefined;
    spanishBackerId: string | undefined;
    covers: boolean;
  },
) {
  const rand = seededRandom(1000 + index * 7919);
  const creatorId = users.get(normalizeEmail(spec.creator));
  if (!creatorId) throw new Error(`Demo creator ${spec.creator} is missing.`);
  const exponent = spec.currency === "jpy" ? 0 : 2;
  const unit = 10 ** exponent;
  const isDraft = spec.outcome === "draft";
  const deadline = new Date(now.getTime() + spec.deadlineInHours * HOUR);
  // Whole-hour deadlines, as the launch form sets them.
  deadline.setUTCMinutes(spec.deadlineInHours < 1 && spec.deadlineInHours > 0 ? deadline.getUTCMinutes() : 0, 0, 0);
  const launchedAt = new Date(deadline.getTime() - spec.durationDays * DAY);
  const endedAt =
    spec.outcome === "funded" || spec.outcome === "unfunded" ? new Date(deadline.getTime() + 2 * HOUR) : null;

  // Pledges first (in memory), so the goal can be a tidy figure that gives the intended progress.
  const tiers = spec.tiers.map((t, position) => ({ ...t, position, id: crypto.randomUUID(), claimed: 0 }));
  type PlannedPledge = {
    backerId: string;
    tier: (typeof tiers)[number] | null;
    base: number;
    shipping: number;
    destination: string | null;
  };
  const planned: PlannedPledge[] = [];
  const pool = [...backerIds].sort(() => rand() - 0.5).slice(0, Math.min(spec.backers, backerIds.length));
  if (spec.demoBacker && demoBackerId) pool[0] = demoBackerId;
  if (spec.spanishBacker && spanishBackerId && pool.length > 1) pool[1] = spanishBackerId;
  for (const t of tiers) {
    if (t.soldOut && t.limit) {
      for (let i = 0; i < t.limit && pool.length > planned.length; i++)
        planned.push(planPledge(pool[planned.length]!, t));
    }
  }
  while (planned.length < pool.length && tiers.length) {
    const open = tiers.filter((t) => !t.limit || t.claimed < t.limit - (t.soldOut ? 0 : 1));
    if (open.length === 0) break;
    const total = open.reduce((s, t) => s + (t.weight ?? 1), 0);
    let pick = rand() * total;
    const tier = open.find((t) => (pick -= t.weight ?? 1) < 0) ?? open[0]!;
    planned.push(planPledge(pool[planned.length]!, tier));
  }
  function planPledge(backerId: string, tier: (typeof tiers)[number]): PlannedPledge {
    tier.claimed++;
    const bonus = rand() < 0.25 ? Math.round(tier.price * (0.1 + rand() * 0.4)) : 0;
    const destinations = Object.keys(tier.shipping ?? {});
    const destination = destinations.length ? destinations[Math.floor(rand() * rand() * destinations.length)]! : null;
    return {
      backerId,
      tier,
      base: (tier.price + bonus) * unit,
      shipping: destination ? tier.shipping![destination]! * unit : 0,
      destination,
    };
  }
  const pledgedTotal = planned.reduce((s, p) => s + p.base + p.shipping, 0);
  const goal =
    isDraft || !pledgedTotal
      ? tidyGoal((spec.tiers[0]?.price ?? 100) * 200 * unit, exponent)
      : tidyGoal((pledgedTotal * 100) / spec.targetPercent, exponent);

  let coverId: string | null = null;
  if (covers) {
    const stored = await storeImage(trx, { ownerId: creatorId, bytes: renderCoverPng(spec.cover) });
    if (stored.ok) coverId = stored.imageId;
  }

  const campaign = await trx
    .insertInto("campaigns")
    .values({
      creator_id: creatorId,
      slug: spec.slug,
      title: spec.title,
      blurb: spec.blurb,
      ...storyColumns(spec.story),
      category: spec.category,
      cover_image_id: coverId,
      cover_alt: spec.coverAlt,
      goal_amount: goal,
      currency: spec.currency,
      duration_days: spec.durationDays,
      funding_model: spec.fundingModel ?? "all_or_nothing",
      collection: spec.collection ?? "at_deadline",
      featured: spec.featured ?? false,
      language: spec.language ?? "en",
      created_at: new Date((isDraft ? now.getTime() - 3 * DAY : launchedAt.getTime()) - 10 * DAY),
    })
    .returning("id")
    .executeTakeFirstOrThrow();

  const deliveryBase = isDraft ? now : deadline;
  if (tiers.length) {
    await trx
      .insertInto("tiers")
      .values(
        tiers.map((t) => ({
          id: t.id,
          campaign_id: campaign.id,
          title: t.title,
          description: t.description,
          minimum_amount: t.price * unit,
          quantity_limit: t.limit ?? null,
          estimated_delivery: t.deliveryMonthsAfterEnd
            ? new Date(
                Date.UTC(deliveryBase.getUTCFullYear(), deliveryBase.getUTCMonth() + t.deliveryMonthsAfterEnd, 1),
              )
            : null,
          ships: Boolean(t.shipping),
          position: t.position,
        })),
      )
      .execute();
    const rates = tiers.flatMap((t) =>
      Object.entries(t.shipping ?? {}).map(([destination, amount]) => ({
        tier_id: t.id,
        destination,
        amount: amount * unit,
      })),
    );
    if (rates.length) await trx.insertInto("tier_shipping_rates").values(rates).execute();
  }
  if (isDraft) return;

  await transitionCampaign(trx, {
    campaignId: campaign.id,
    to: "live",
    actorId: creatorId,
    reason: "Launched by the creator",
    set: { launched_at: launchedAt, deadline },
  });

  const settledHere = !settledBySettlement && (spec.outcome === "funded" || spec.outcome === "unfunded");
  const pledgeState: PledgeState = !settledHere ? "active" : spec.outcome === "funded" ? "collected" : "released";
  const activeUntil = Math.min(now.getTime(), deadline.getTime());
  const span = activeUntil - launchedAt.getTime();
  for (const [i, p] of planned.entries()) {
    // A launch-day rush, a steady middle, and (momentum) a share in the last 48 hours.
    const r = rand();
    let at: number;
    if (spec.momentum && i % Math.max(1, Math.round(1 / spec.momentum)) === 0)
      at = activeUntil - rand() * Math.min(47 * HOUR, span);
    else if (r < 0.35) at = launchedAt.getTime() + rand() * Math.min(3 * DAY, span);
    else at = launchedAt.getTime() + rand() * span;
    const activatedAt = new Date(Math.floor(at));
    const state: PledgeState =
      !settledHere && p.backerId !== demoBackerId && p.backerId !== spanishBackerId && i % 13 === 12
        ? "cancelled"
        : pledgeState;
    const row = await trx
      .insertInto("pledges")
      .values({
        campaign_id: campaign.id,
        backer_id: p.backerId,
        tier_id: p.tier?.id ?? null,
        currency: spec.currency,
        base_amount: p.base,
        shipping_amount: p.shipping,
        amount: p.base + p.shipping,
        shipping_destination: p.destination,
        state,
        created_at: new Date(activatedAt.getTime() - 2 * 60_000),
        updated_at: state === "active" || !settledHere ? activatedAt : (endedAt ?? now),
        activated_at: activatedAt,
      })
      .returning(["id", "campaign_id", "tier_id", "amount", "state"])
      .executeTakeFirstOrThrow();
    await recordNewPledge(trx, row, p.backerId);
  }

  if (settledHere) {
    await transitionCampaign(trx, {
      campaignId: campaign.id,
      to: "settling",
      actorId: null,
      reason: "Deadline reached",
    });
    await transitionCampaign(trx, {
      campaignId: campaign.id,
      to: spec.outcome,
      actorId: null,
      reason: spec.outcome === "funded" ? "Goal met at the deadline" : "Goal not met at the deadline",
      set: { ended_at: endedAt! },
    });
  }
  // History rows carry the moment each move happened, not the moment the demo was seeded.
  const moments: Partial<Record<CampaignState, Date>> = {
    live: launchedAt,
    settling: deadline,
    funded: endedAt ?? now,
    unfunded: endedAt ?? now,
  };
  for (const [state, at] of Object.entries(moments)) {
    await sql`update campaign_transitions set at = ${at} where campaign_id = ${campaign.id} and to_state = ${state}`.execute(
      trx,
    );
  }
  await sql`update pledge_transitions t set at = p.activated_at from pledges p where p.id = t.pledge_id and p.campaign_id = ${campaign.id}`.execute(
    trx,
  );

  for (const u of spec.updates ?? []) {
    await trx
      .insertInto("campaign_updates")
      .values({
        campaign_id: campaign.id,
        author_id: creatorId,
        title: u.title,
        ...updateBodyColumns(u.body),
        visibility: u.visibility,
        created_at: new Date(Math.min(launchedAt.getTime() + u.day * DAY, now.getTime() - HOUR)),
      })
      .execute();
  }

  if (spec.commentPolicy)
    await trx
      .updateTable("campaigns")
      .set({ comment_policy: spec.commentPolicy })
      .where("id", "=", campaign.id)
      .execute();
  const postComment = async (c: DemoComment, parentId: string | null) => {
    const authorId = users.get(c.author);
    // Seeded without the Spanish-speaking demo user (some tests), her words are left out.
    if (!authorId) return null;
    const row = await recordComment(trx, {
      campaignId: campaign.id,
      updateId: null,
      parentId,
      authorId,
      bodyMd: c.body,
    });
    await sql`update comments set created_at = ${new Date(now.getTime() - c.hoursAgo * HOUR)} where id = ${row.id}`.execute(
      trx,
    );
    return row.id;
  };
  for (const c of spec.comments ?? []) {
    const id = await postComment(c, null);
    if (id) for (const r of c.replies ?? []) await postComment(r, id);
  }
}
