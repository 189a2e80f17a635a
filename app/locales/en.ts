// The English catalogue: the shape every other language's catalogue must have (see es.ts), so a
// key missing from a translation fails the type check. Namespaced by area of the site.

export const en = {
  common: {
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
  },
  errors: {
    status: "Error {{status}}",
    title: {
      400: "That request could not be understood",
      403: "You can't do that",
      404: "We couldn't find that page",
      405: "That isn't allowed here",
      413: "That upload is too large",
      429: "Slow down a moment",
      other: "Something isn't right",
      server: "Something went wrong on our side",
    },
    serverDetail: "The error has been logged. Nothing you submitted was charged twice; please try again in a moment.",
    notFoundHint: "The link may be broken, or the page may have moved.",
    notFoundMeta: "Page not found · Colecta",
    backHome: "Back to the home page",
  },
  auth: {
    email: "Email",
    password: "Password",
    name: "Name",
    login: {
      meta: "Sign in · Colecta",
      title: "Sign in",
      lead: "Welcome back. Sign in to manage your pledges and campaigns.",
      submit: "Sign in",
      submitting: "Signing in…",
      newHere: "New to Colecta?",
      createAccount: "Create an account",
    },
    signup: {
      meta: "Create your account · Colecta",
      title: "Create your account",
      lead: "Back projects, follow their progress, and run your own campaign.",
      passwordHint: "At least {{min}} characters. A short sentence works well.",
      submit: "Create account",
      submitting: "Creating your account…",
      haveAccount: "Already have an account?",
      signIn: "Sign in",
    },
    refusal: {
      mismatch: "That email and password don't match an account.",
      tooManyLogins: "Too many sign-in attempts. For your security, please wait {{wait}} and try again.",
      tooManySignups: "Too many new accounts from your network. Try again in {{wait}}.",
      emailTaken: "An account with this email already exists. Sign in instead, or use another email.",
      wait_one: "a minute",
      wait_other: "{{count}} minutes",
    },
    validation: {
      emailRequired: "Enter your email address.",
      emailTooLong: "That email address is too long (254 characters at most).",
      emailInvalid: "Enter a valid email address, like name@example.com.",
      nameRequired: "Enter your name.",
      nameTooLong: "Keep your name under 100 characters.",
      passwordTooShort: "Use at least {{min}} characters.",
      passwordTooLongForSignup: "Use at most {{max}} characters.",
      passwordRequired: "Enter your password.",
      passwordTooLong: "That password is too long.",
    },
  },
};

export type Catalogue = typeof en;
