// English, common namespace. The shape every other language's `common` must have.

export const common = {
  meta: {
    title: "Colecta — back the projects you believe in",
    description: "Colecta is crowdfunding for innovation projects: back a campaign, pay only if it is funded.",
  },
  skipLink: "Skip to content",
  homeLink: "Colecta home",
  nav: {
    label: "Main",
    discover: "Discover",
    startProject: "Start a project",
    myPledges: "My pledges",
    mailbox: "Mailbox",
    finance: "Finance",
  },
  account: { signIn: "Sign in", signUp: "Sign up", signOut: "Sign out" },
  language: { label: "Language", switchTo: "Switch the site to {{language}}" },
  footer: {
    tagline: "Crowdfunding for innovation projects. Backers are charged only under the terms shown on each project.",
    payments: "Payments by Stripe (test mode). No real money moves on this site.",
    copyright: "© {{year}} Colecta",
  },
  backers_one: "{{count}} backer",
  backers_other: "{{count}} backers",
  amount: {
    required: "Enter an amount.",
    negative: "The amount must be positive.",
    format: "Enter the amount as a number, like 25 or 25.50.",
    noDecimals: "{{currency}} has no decimal places; enter a whole number.",
    decimals: "Use at most {{exponent}} decimal places.",
    tooLarge: "That amount is too large.",
    zero: "The amount must be more than zero.",
    max: "The amount can be at most {{max}}.",
  },
};
