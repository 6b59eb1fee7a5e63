import { escapeXml } from './escape.js';
import { HOVER_SCRIPT } from './hover-script.js';
import { renderMarkdownish } from './markdown.js';
import { renderTableHtml, type TableData } from './table.js';

/**
 * A self-contained HTML report: inline CSS, inline SVG, one small inline
 * script for hover highlighting, and a Content-Security-Policy that forbids
 * every network fetch, so the page renders identically offline and leaks
 * nothing. Each section shows, in order, its prose, its chart and its table
 * (the numbers behind the chart).
 */

export interface HtmlSection {
  readonly heading: string;
  /** Anchor id; default: a slug of the heading (made unique on the page). */
  readonly id?: string;
  /** Markdown-ish prose (see renderMarkdownish). */
  readonly text?: string;
  /** An SVG string from one of the chart renderers. */
  readonly svg?: string;
  readonly table?: TableData;
}

export interface HtmlPageSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly sections: readonly HtmlSection[];
  /** Small print at the bottom (e.g. which convention and version produced the numbers). */
  readonly footer?: string;
}

// No fetches of any kind; inline style and script only; the data: favicon stops the browser asking for /favicon.ico.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; line-height: 1.45; }
header, main, footer { max-width: 960px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.subtitle { color: #555; margin: 0 0 12px; }
nav ul { padding-left: 18px; margin: 8px 0 0; columns: 2; }
section { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 16px 20px; margin: 20px 0; }
h2 { font-size: 19px; margin: 0 0 10px; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; display: block; }
table.data { border-collapse: collapse; font-size: 13px; margin-top: 12px; width: 100%; font-variant-numeric: tabular-nums; }
table.data th, table.data td { border-bottom: 1px solid #e6e6e6; padding: 4px 8px; }
table.data th { text-align: left; background: #f3f3f3; position: sticky; top: 0; }
table.data .right { text-align: right; }
table.data tbody tr:hover { background: #f5f9fc; }
.table-wrap { max-height: 420px; overflow: auto; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f4f4f4; padding: 8px 10px; overflow-x: auto; }
footer { color: #666; font-size: 12px; padding-bottom: 28px; }
#oicf-tip { position: absolute; z-index: 10; max-width: 420px; background: #111; color: #fff; font-size: 12px; padding: 6px 8px; border-radius: 4px; pointer-events: none; }
#oicf-tip[hidden] { display: none; }
svg.focus [data-series]:not(.hl) { opacity: 0.22; }
.pt.active:not(.line) > * { stroke: #000 !important; stroke-width: 2.5px !important; }
.pt.line.active > * { stroke-width: 3.5px !important; }
.pt:focus { outline: none; }
`;

export function renderHtmlPage(spec: HtmlPageSpec): string {
  const ids = new Set<string>();
  const sections = spec.sections.map((s) => {
    const id = uniqueId(s.id ?? slug(s.heading), ids);
    return { ...s, id };
  });
  const nav =
    sections.length > 2
      ? `<nav aria-label="Sections"><ul>${sections.map((s) => `<li><a href="#${escapeXml(s.id)}">${escapeXml(s.heading)}</a></li>`).join('')}</ul></nav>`
      : '';
  const body = sections
    .map((s) => {
      const parts = [`<h2>${escapeXml(s.heading)}</h2>`];
      if (s.text) parts.push(`<div class="prose">${renderMarkdownish(s.text)}</div>`);
      if (s.svg) parts.push(`<div class="chart">${s.svg}</div>`);
      if (s.table) parts.push(`<div class="table-wrap">${renderTableHtml(s.table)}</div>`);
      return `<section id="${escapeXml(s.id)}">\n${parts.join('\n')}\n</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeXml(CSP)}">
<title>${escapeXml(spec.title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeXml(spec.title)}</h1>
${spec.subtitle ? `<p class="subtitle">${escapeXml(spec.subtitle)}</p>` : ''}
${nav}
</header>
<main>
${body}
</main>
${spec.footer ? `<footer>${renderMarkdownish(spec.footer)}</footer>` : ''}
<div id="oicf-tip" role="tooltip" hidden></div>
<script>${HOVER_SCRIPT}</script>
</body>
</html>
`;
}

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'section' : s;
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}
