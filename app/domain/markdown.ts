import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * The version of the rules below. Stories and updates are stored rendered, each row with the
 * version that rendered it; bump this whenever renderMarkdown or markdownToText would produce
 * different output (a tag allowed or refused, a new link attribute, marked upgraded), and the
 * next start re-renders every older row (models/stored-markdown.server.ts).
 */
export const MARKDOWN_VERSION = 1;

/** Length of a story's plain-text summary: the share description when a campaign has no blurb. */
export const STORY_SUMMARY_LENGTH = 200;

/**
 * Renders creator-written Markdown to HTML that is safe to inline: parsed with marked, then
 * passed through an allow-list (no script, no style, no event handlers, no iframes); links only
 * to http(s)/mailto, opened with rel="nofollow ugc noopener".
 */
export function renderMarkdown(source: string): string {
  return sanitizeRendered(marked.parse(source) as string);
}

/**
 * What a comment, a message or an FAQ answer may use: text formatting, lists, quotes, code and
 * links; no headings, tables or rules, which belong to a story's structure, not a conversation.
 */
const CONVERSATION_TAGS = new Set([
  "p",
  "br",
  "strong",
  "em",
  "del",
  "blockquote",
  "code",
  "pre",
  "ul",
  "ol",
  "li",
  "a",
]);

function sanitizeRendered(html: string, only?: ReadonlySet<string>): string {
  const tags = [
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
  ];
  return sanitizeHtml(html, {
    allowedTags: only ? tags.filter((t) => only.has(t)) : tags,
    allowedAttributes: { a: ["href", "title", "rel", "target"], th: ["align"], td: ["align"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    // Headings shift down one level: the page's h1 is the campaign title.
    // In a conversation a heading is a paragraph (sanitize-html would keep the closing tag of a
    // heading it transformed into one it then refuses).
    transformTags: {
      ...(only ? { h1: "p", h2: "p", h3: "p", h4: "p", h5: "p", h6: "p" } : { h1: "h2" }),
      a: sanitizeHtml.simpleTransform("a", { rel: "nofollow ugc noopener noreferrer", target: "_blank" }),
    },
    disallowedTagsMode: "discard",
  });
}

/** Plain text of a Markdown document (meta descriptions, emails, search snippets). */
export function markdownToText(source: string, maxLength = 300): string {
  return renderedToText(marked.parse(source) as string, maxLength);
}

function renderedToText(html: string, maxLength: number): string {
  const text = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, " ").trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}

/** What is stored beside a campaign's story: its HTML and its summary (one parse for both). */
export function renderStory(storyMd: string) {
  const parsed = marked.parse(storyMd) as string;
  return { story_html: sanitizeRendered(parsed), story_summary: renderedToText(parsed, STORY_SUMMARY_LENGTH) };
}

/** What is stored beside an update's body: its HTML. */
export function renderUpdateBody(bodyMd: string) {
  return { body_html: renderMarkdown(bodyMd) };
}

/** A comment's, message's or FAQ answer's HTML: the story rules, narrowed to CONVERSATION_TAGS. */
export function renderConversation(bodyMd: string): string {
  return sanitizeRendered(marked.parse(bodyMd) as string, CONVERSATION_TAGS);
}

/** The columns a write of a comment or a message sets, in the same statement. */
export function conversationColumns(bodyMd: string) {
  return { body_md: bodyMd, body_html: renderConversation(bodyMd), markdown_version: MARKDOWN_VERSION };
}

/** A stored comment or message body as the current rules render it (see currentStory). */
export function currentConversationBody(row: { body_md: string; body_html: string; markdown_version: number }) {
  return row.markdown_version >= MARKDOWN_VERSION ? row.body_html : renderConversation(row.body_md);
}

/** The columns a write of a campaign's story sets, in the same statement: source, renderings, version. */
export function storyColumns(storyMd: string) {
  return { story_md: storyMd, ...renderStory(storyMd), markdown_version: MARKDOWN_VERSION };
}

/** The columns a write of an update's body sets, in the same statement. */
export function updateBodyColumns(bodyMd: string) {
  return { body_md: bodyMd, ...renderUpdateBody(bodyMd), markdown_version: MARKDOWN_VERSION };
}

/**
 * A stored story as the current rules render it: the stored columns, or rendered now when an
 * older renderer made them (a row the start-up backfill has not reached yet, or one written by
 * a path that bypassed storyColumns and got the column defaults).
 */
export function currentStory(row: {
  story_md: string;
  story_html: string;
  story_summary: string;
  markdown_version: number;
}): { story_html: string; story_summary: string } {
  return row.markdown_version >= MARKDOWN_VERSION
    ? { story_html: row.story_html, story_summary: row.story_summary }
    : renderStory(row.story_md);
}

/** A stored update body as the current rules render it (see currentStory). */
export function currentUpdateBody(row: { body_md: string; body_html: string; markdown_version: number }): {
  body_html: string;
} {
  return row.markdown_version >= MARKDOWN_VERSION ? { body_html: row.body_html } : renderUpdateBody(row.body_md);
}
