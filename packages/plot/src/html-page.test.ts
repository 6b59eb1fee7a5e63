import { describe, expect, it } from 'vitest';
import { renderHtmlPage } from './html-page.js';
import { renderRoofline } from './roofline.js';
import { checkXmlWellFormed } from './xml-wellformed.js';

const svg = renderRoofline({
  title: 'R',
  devices: [{ name: 'H100', peakFlopsPerSecond: 989e12, bandwidthBytesPerSecond: 3.35e12 }],
});

const page = renderHtmlPage({
  title: 'Report <1> & more',
  subtitle: 'Convention: paper (weights + KV)',
  sections: [
    { heading: 'Roofline', text: 'Intro with **bold**.', svg, table: { columns: [{ header: 'h' }], rows: [['v']] } },
    { heading: 'Roofline', text: '<img src=x onerror=alert(1)>' },
    { heading: 'Notes & caveats', id: 'notes' },
  ],
  footer: 'made by `oicf`',
});

describe('renderHtmlPage', () => {
  it('is a complete UTF-8 document with the title escaped', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<title>Report &lt;1&gt; &amp; more</title>');
    expect(page).toContain('<h1>Report &lt;1&gt; &amp; more</h1>');
    expect(page).toContain('<p class="subtitle">Convention: paper (weights + KV)</p>');
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('requests nothing: CSP forbids fetches, no src/href points off-page', () => {
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;unsafe-inline&#39;; img-src data:">`,
    );
    // The only URL on the page is the SVG namespace name, which browsers never fetch.
    expect(page.match(/https?:\/\/[^"\s]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(page).not.toMatch(/<[^>]*\ssrc=/);
    expect([...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'data:,',
      '#roofline',
      '#roofline-2',
      '#notes',
    ]);
  });

  it('keeps prose escaped and puts prose, chart, table in that order per section', () => {
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const s1 = page.slice(page.indexOf('<section id="roofline">'), page.indexOf('<section id="roofline-2">'));
    const order = ['<p>Intro with <strong>bold</strong>.</p>', '<svg', '<table class="data">'].map((m) =>
      s1.indexOf(m),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page).toContain('<section id="notes">');
    expect(page).toContain('<footer><p>made by <code>oicf</code></p></footer>');
  });

  it('embeds the SVG unchanged (still well-formed) plus the tooltip box and script', () => {
    const start = page.indexOf('<svg');
    const embedded = page.slice(start, page.indexOf('</svg>', start) + 6);
    expect(embedded).toBe(svg);
    expect(checkXmlWellFormed(embedded).ok).toBe(true);
    expect(page).toContain('<div id="oicf-tip" role="tooltip" hidden></div>');
    expect(page).toMatch(/<script>\(function \(\) \{[\s\S]*closest\('\.pt'\)[\s\S]*<\/script>/);
  });
});
