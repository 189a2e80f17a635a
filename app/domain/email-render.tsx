import { renderToStaticMarkup } from "react-dom/server";
import type { EmailBlock, EmailContent } from "./emails";

// One template, two parts: the blocks an email builder returns become the plain-text part and
// the HTML part (the site's look in inline CSS, as mail clients drop style sheets; white on the
// brand green is 7.6:1). Pure: the caller passes APP_URL, which makes every link absolute.

export interface RenderedEmail {
  subject: string;
  bodyText: string;
  bodyHtml: string;
  locale: EmailContent["locale"];
}

const SITE_NAME = "Colecta";
const INK = "#17202a";
const MUTED = "#4a5563";
const BRAND = "#0b5d4b";
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** A link made absolute against APP_URL (links in an email have no page to be relative to). */
export function absoluteUrl(url: string, appUrl: string): string {
  return new URL(url, `${appUrl.replace(/\/$/, "")}/`).toString();
}

/** The text part: paragraphs separated by a blank line, a call to action as `label: url`. */
export function renderEmailText(content: EmailContent, appUrl?: string): string {
  const link = (url: string) => (appUrl ? absoluteUrl(url, appUrl) : url);
  return content.blocks.map((b) => (b.kind === "text" ? b.text : `${b.label}: ${link(b.url)}`)).join("\n\n") + "\n";
}

function Block({ block, appUrl }: { block: EmailBlock; appUrl: string }) {
  if (block.kind === "action") {
    return (
      <p style={{ margin: "24px 0" }}>
        <a
          href={absoluteUrl(block.url, appUrl)}
          style={{
            display: "inline-block",
            background: BRAND,
            color: "#ffffff",
            padding: "12px 20px",
            borderRadius: "8px",
            fontWeight: 600,
            textDecoration: "none",
          }}
        >
          {block.label}
        </a>
      </p>
    );
  }
  return <p style={{ margin: "0 0 16px", lineHeight: "1.55", whiteSpace: "pre-line" }}>{block.text}</p>;
}

function EmailDocument({ content, appUrl }: { content: EmailContent; appUrl: string }) {
  return (
    <html lang={content.locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{content.subject}</title>
      </head>
      <body style={{ margin: 0, padding: 0, background: "#f6f7f5", color: INK, fontFamily: FONT }}>
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} style={{ background: "#f6f7f5" }}>
          <tbody>
            <tr>
              <td align="center" style={{ padding: "24px 12px" }}>
                <table
                  role="presentation"
                  width="100%"
                  cellPadding={0}
                  cellSpacing={0}
                  style={{
                    maxWidth: "560px",
                    background: "#ffffff",
                    borderRadius: "12px",
                    border: "1px solid #e3e6ea",
                  }}
                >
                  <tbody>
                    <tr>
                      <td style={{ padding: "20px 28px", borderBottom: "1px solid #e3e6ea" }}>
                        <a
                          href={absoluteUrl("/", appUrl)}
                          style={{ color: BRAND, fontWeight: 700, fontSize: "20px", textDecoration: "none" }}
                        >
                          {SITE_NAME}
                        </a>
                      </td>
                    </tr>
                    <tr>
                      <td style={{ padding: "24px 28px 8px", fontSize: "16px" }}>
                        {content.blocks.map((block, i) => (
                          <Block key={i} block={block} appUrl={appUrl} />
                        ))}
                      </td>
                    </tr>
                    <tr>
                      <td style={{ padding: "12px 28px 20px", fontSize: "13px", color: MUTED }}>
                        <a href={absoluteUrl("/", appUrl)} style={{ color: MUTED }}>
                          {new URL(appUrl).host}
                        </a>
                      </td>
                    </tr>
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </html>
  );
}

/** Both parts of an email, links absolute against `appUrl`, the HTML in the recipient's language. */
export function renderEmail(content: EmailContent, appUrl: string): RenderedEmail {
  return {
    subject: content.subject,
    locale: content.locale,
    bodyText: renderEmailText(content, appUrl),
    bodyHtml: "<!doctype html>" + renderToStaticMarkup(<EmailDocument content={content} appUrl={appUrl} />),
  };
}
