/**
 * Escaping for text and attribute values placed in SVG/HTML. Every string that
 * comes from a caller (labels, titles, series names) passes through here, so a
 * label such as `p<50 & "fast"` cannot break the markup.
 */

/** XML 1.0 forbids C0 controls other than tab, LF and CR (even escaped), and U+FFFE/U+FFFF. */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x09 || code === 0x0a || code === 0x0d;
  return code !== 0xfffe && code !== 0xffff;
}

function dropInvalidXmlChars(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (!isXmlChar(text.charCodeAt(i))) {
      return Array.from(text)
        .filter((c) => isXmlChar(c.charCodeAt(0)))
        .join('');
    }
  }
  return text;
}

/** Escapes `& < > " '` and strips characters XML cannot carry. Safe in text and quoted attributes. */
export function escapeXml(text: string): string {
  return dropInvalidXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
