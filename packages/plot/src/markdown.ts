import { escapeXml } from './escape.js';

/**
 * A small, safe subset of Markdown for report prose: paragraphs, `#`/`##`
 * headings (rendered one level below the section heading), `-`/`*` and `1.`
 * lists, fenced code blocks, and inline `code` and **bold**. Everything is
 * escaped first, so no raw HTML passes through. Links are not supported, on
 * purpose: a report page makes no requests and links nowhere.
 */
export function renderMarkdownish(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.trimStart().startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith('```')) body.push(lines[i++] as string);
      i++; // closing fence (or end of text)
      blocks.push(`<pre><code>${escapeXml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, 2 + (heading[1] as string).length);
      blocks.push(`<h${level}>${inline(heading[2] as string)}</h${level}>`);
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && !/^(#{1,3})\s|^\s*```/.test(lines[i] as string)) {
      para.push(lines[i++] as string);
    }
    if (para.every((l) => /^\s*[-*]\s+/.test(l))) {
      blocks.push(`<ul>${para.map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`);
    } else if (para.every((l) => /^\s*\d+[.)]\s+/.test(l))) {
      blocks.push(`<ol>${para.map((l) => `<li>${inline(l.replace(/^\s*\d+[.)]\s+/, ''))}</li>`).join('')}</ol>`);
    } else {
      blocks.push(`<p>${inline(para.map((l) => l.trim()).join(' '))}</p>`);
    }
  }
  return blocks.join('\n');
}

/** Inline spans: `code` first (its content is literal), then **bold** in the rest. */
function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.length >= 2 && part.startsWith('`') && part.endsWith('`')
        ? `<code>${escapeXml(part.slice(1, -1))}</code>`
        : escapeXml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>'),
    )
    .join('');
}
