import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Renders creator-written Markdown to HTML that is safe to inline: parsed with marked, then
 * passed through an allow-list (no script, no style, no event handlers, no iframes); links only
 * to http(s)/mailto, opened with rel="nofollow ugc noopener".
 */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, {
    allowedTags: [
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
    ],
    allowedAttributes: { a: ["href", "title", "rel", "target"], th: ["align"], td: ["align"] },
    allowedSchemes: ["http", "https", "mailto"],
    allowProtocolRelative: false,
    // Headings shift down one level: the page's h1 is the campaign title.
    transformTags: {
      h1: "h2",
      a: sanitizeHtml.simpleTransform("a", { rel: "nofollow ugc noopener noreferrer", target: "_blank" }),
    },
    disallowedTagsMode: "discard",
  });
}

/** Plain text of a Markdown document (meta descriptions, emails, search snippets). */
export function markdownToText(source: string, maxLength = 300): string {
  const text = sanitizeHtml(marked.parse(source) as string, { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, " ")
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
}
