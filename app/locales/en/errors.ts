// English, errors namespace. The shape every other language's `errors` must have.

export const errors = {
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
  suspended:
    "Your account is suspended, so you can't post, pledge or send messages. You can still sign in to see your pledges; write to support if you think this is a mistake.",
};
