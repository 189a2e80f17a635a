// English, mail namespace: the pages around email delivery (demo mailbox, unsubscribe link,
// notification preferences, the staff view of failed and stuck emails).

export const mail = {
  categories: {
    updates: "Campaign updates",
    comments: "Comments and replies",
    reminders: "Reminders",
  },
  categoryHints: {
    updates: "News that creators post to the campaigns you back.",
    comments: "Replies to your comments and new comments on your campaigns.",
    reminders: "Deadlines coming up on campaigns you follow or back.",
  },
  mailbox: {
    lead: "Colecta has no mail server here: what it sent to {{email}} arrived at the built-in mail catcher and is shown below, newest first.",
    viewHtml: "Open the HTML version",
    plainText: "Text version",
  },
  unsubscribe: {
    meta: "Unsubscribe · Colecta",
    title: "Stop these emails?",
    lead: "You will no longer get emails about: {{category}}. Receipts and payment notices are always sent.",
    submit: "Unsubscribe",
    done: "Done: you will no longer get emails about: {{category}}.",
    manage: "Choose which emails you get",
    invalid: "This unsubscribe link is not valid. Sign in to choose which emails you get.",
    tooMany: "Too many requests from your network. Try again in a few minutes.",
  },
  notifications: {
    meta: "Notifications · Colecta",
    title: "Email notifications",
    lead: "Choose which optional emails you get. Emails about your money (receipts, failed payments, refunds) and your account are always sent.",
    submit: "Save preferences",
    saved: "Your preferences are saved.",
  },
  staff: {
    meta: "Email delivery · Colecta",
    title: "Email delivery problems",
    lead: "Emails that failed for good, and emails still waiting long after they were due (the server keeps deferring them, or a worker stopped while sending).",
    empty: "No failed or stuck emails.",
    recipient: "Recipient",
    subject: "Subject",
    state: "State",
    attempts: "Tries",
    reply: "Server's reply",
    failed: "Failed",
    stuck: "Waiting",
    retry: "Retry",
    retried: "Email {{id}} is queued again.",
    notRetried: "Email {{id}} could not be queued again.",
  },
};
