// Shared HTML helpers for the hosted pages: escaping, the page shell and its stylesheet.
// Pages are server-rendered and work without JavaScript; every interpolated value goes
// through `esc`, so names and metadata from API callers cannot inject markup.

import type { Emulator } from "../emulator.js";
import type { FormObject } from "../http/form.js";
import { PAGE_STRINGS, type PageLang } from "./i18n.js";

export type PageResponse = { status: number; html: string } | { redirect: string };

export interface PageRequest {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  form: FormObject;
  /** The browser's Accept-Language header (a session with locale "auto" follows it). */
  acceptLanguage: string | null;
}

export type PageHandler = (emu: Emulator, req: PageRequest) => PageResponse;

export interface PageRoute {
  method: "GET" | "POST";
  path: string;
  handler: PageHandler;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function formField(form: FormObject, name: string): string {
  const v = form[name];
  return typeof v === "string" ? v.trim() : "";
}

/** Only http(s) URLs become links or redirects; anything else (javascript:, data:) is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

export function page(opts: {
  title: string;
  body: string;
  status?: number;
  script?: string;
  lang?: string;
}): PageResponse {
  const html = `<!doctype html>
<html lang="${esc(opts.lang ?? "en")}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(opts.title)}</title>
<style>${STYLES}</style>
</head>
<body>
${opts.body}
${opts.script ? `<script>${opts.script}</script>` : ""}
</body>
</html>`;
  return { status: opts.status ?? 200, html };
}

// Inline SVG icons: emoji and symbol glyphs depend on the fonts installed, these do not.
const svg = (path: string, size = 16) =>
  `<svg class="i" width="${size}" height="${size}" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${path}</svg>`;
export const ICON_LOCK = svg(
  '<rect x="3" y="7" width="10" height="7" rx="1.5"/><path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2"/>',
  13,
);
export const ICON_INFO = svg('<circle cx="8" cy="8" r="6.2"/><path d="M8 7.2v3.6M8 5.1v.1"/>');
export const ICON_ALERT = svg('<circle cx="8" cy="8" r="6.2"/><path d="M8 4.8v3.8M8 10.9v.1"/>');

export function testModeBadge(lang: PageLang = "en"): string {
  return `<span class="badge">${esc(PAGE_STRINGS[lang].testMode)}</span>`;
}

export function footer(lang: PageLang = "en"): string {
  return `<footer class="footer">${PAGE_STRINGS[lang].footer}</footer>`;
}

/** A centred single card, used by the simple pages (3DS, onboarding, session gone). */
export function simpleCard(inner: string, lang: PageLang = "en"): string {
  return `<main class="simple"><div class="card narrow">${inner}</div>${footer(lang)}</main>`;
}

const STYLES = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1f36;background:#f6f8fb;-webkit-font-smoothing:antialiased}
a{color:#4f46e5;text-decoration:none}a:hover{text-decoration:underline}
.shell{max-width:980px;margin:0 auto;padding:48px 24px 24px}
.card{background:#fff;border-radius:14px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 12px 32px rgba(16,24,40,.08);overflow:hidden}
.checkout{display:grid;grid-template-columns:1fr 1fr}
.summary{padding:40px;background:#fafbfc;border-right:1px solid #eef0f4}
.pay{padding:40px}
.topline{display:flex;align-items:center;gap:10px;margin-bottom:36px;font-weight:600}
.back{display:inline-flex;align-items:center;gap:8px;color:#1a1f36;font-weight:600}
.back span.arrow{color:#697386;font-size:18px;line-height:1}
.logo{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:50%;background:#1a1f36;color:#fff;font-size:13px;font-weight:700}
.badge{display:inline-block;padding:2px 8px;border-radius:4px;background:#ffde92;color:#8a4b00;font-size:11px;font-weight:700;letter-spacing:.04em;text-transform:uppercase}
.eyebrow{color:#697386;font-size:15px;font-weight:500;margin:0 0 4px}
.amount{font-size:36px;font-weight:700;letter-spacing:-.02em;margin:0 0 28px;font-variant-numeric:tabular-nums}
.lines{list-style:none;margin:0;padding:0;border-top:1px solid #eef0f4}
.lines li{display:flex;justify-content:space-between;gap:16px;padding:14px 0;border-bottom:1px solid #eef0f4;font-size:14px}
.lines .qty{display:block;color:#697386;font-size:13px}
.lines .total{font-weight:600}
.setup-title{font-size:22px;font-weight:700;letter-spacing:-.01em;margin:0 0 10px}
.note{display:flex;gap:10px;padding:14px 16px;border-radius:10px;background:#eef6ff;color:#1f3b63;font-size:14px;margin:18px 0 0}
.muted{color:#697386}
h2{font-size:16px;font-weight:600;margin:0 0 12px}
label{display:block;font-size:13px;font-weight:500;color:#30313d;margin:0 0 6px}
.field{margin:0 0 18px}
input{width:100%;font:inherit;font-size:15px;color:#1a1f36;padding:10px 12px;border:1px solid #d5d9e2;border-radius:8px;background:#fff;outline:none;transition:border-color .15s,box-shadow .15s}
input::placeholder{color:#a3acb9}
input:focus{border-color:#635bff;box-shadow:0 0 0 3px rgba(99,91,255,.18);position:relative;z-index:1}
.group input{border-radius:0}
.group .row{display:grid;grid-template-columns:1fr 1fr}
.group .top{border-radius:8px 8px 0 0}
.group .row input:first-child{border-radius:0 0 0 8px;margin-top:-1px}
.group .row input:last-child{border-radius:0 0 8px 0;margin-top:-1px;margin-left:-1px;width:calc(100% + 1px)}
.i{flex:none;margin-top:2px}
.btn{display:block;width:100%;border:0;border-radius:8px;padding:13px 16px;font:inherit;font-size:16px;font-weight:600;cursor:pointer;text-align:center}
.btn-primary{background:#635bff;color:#fff;box-shadow:0 1px 2px rgba(16,24,40,.12)}
.btn-primary:hover{background:#5249e8}
.btn-secondary{background:#fff;color:#1a1f36;border:1px solid #d5d9e2;margin-top:10px}
.btn-secondary:hover{background:#f6f8fb}
.alert{display:flex;gap:10px;align-items:flex-start;padding:12px 14px;border-radius:8px;background:#fff1f0;border:1px solid #ffccc7;color:#a8071a;font-size:14px;margin:0 0 18px}
.alert .icon{font-weight:700}
.secure{display:flex;justify-content:center;align-items:flex-start;gap:6px;color:#697386;font-size:12px;margin-top:14px}
.testcards{margin-top:28px;padding-top:20px;border-top:1px dashed #e3e8ee}
.testcards h3{display:flex;align-items:center;gap:8px;font-size:13px;font-weight:600;margin:0 0 10px;color:#30313d}
.testcards ul{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:6px}
.testcards button{width:100%;text-align:left;font:inherit;font-size:12px;line-height:1.35;padding:7px 10px;border:1px solid #e3e8ee;border-radius:6px;background:#fbfcfd;color:#30313d;cursor:pointer}
.testcards button:hover{border-color:#635bff;background:#f5f4ff}
.testcards code{display:block;font:600 12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#1a1f36;letter-spacing:.02em}
.footer{text-align:center;color:#8792a2;font-size:12px;padding:22px 0}
.simple{min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;padding:24px}
.narrow{width:100%;max-width:440px;padding:36px}
.narrow h1{font-size:21px;letter-spacing:-.01em;margin:0 0 8px}
.narrow p{margin:0 0 18px;color:#3c4257}
.kv{display:grid;grid-template-columns:auto 1fr;gap:6px 16px;font-size:14px;margin:0 0 22px;padding:14px 16px;border-radius:10px;background:#f6f8fb}
.kv dt{color:#697386}.kv dd{margin:0;font-weight:500;text-align:right;overflow-wrap:anywhere}
.bank{display:flex;align-items:center;justify-content:space-between;margin:0 0 22px;padding-bottom:14px;border-bottom:1px solid #eef0f4;font-weight:700;color:#1a1f36}
.check{display:grid;place-items:center;width:48px;height:48px;border-radius:50%;background:#e6f7ed;color:#1a7f4b;font-size:24px;margin:0 0 14px}
@media (max-width:760px){.shell{padding:0}.card{border-radius:0}.checkout{grid-template-columns:1fr}.summary{border-right:0;border-bottom:1px solid #eef0f4;padding:28px 24px}.pay{padding:28px 24px}.topline{margin-bottom:20px}}
`;
