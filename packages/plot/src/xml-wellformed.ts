/**
 * A small XML well-formedness checker, enough to prove that generated SVG
 * parses: one root element, properly nested and matching tags, quoted and
 * unique attributes, only the five predefined entities or numeric character
 * references, no `<` in attribute values, comments/CDATA/processing
 * instructions closed. No DTDs, no namespaces checks. Returns a value (never
 * throws) so tests can assert the failure reason and offset.
 */

export type XmlCheckResult =
  | { readonly ok: true; readonly numElements: number; readonly rootName: string }
  | { readonly ok: false; readonly error: string; readonly offset: number };

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const SPACE = /[ \t\r\n]*/y;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/y;

export function checkXmlWellFormed(xml: string): XmlCheckResult {
  const stack: string[] = [];
  let pos = 0;
  let numElements = 0;
  let rootName = '';
  let rootClosed = false;
  const fail = (error: string, offset = pos): XmlCheckResult => ({ ok: false, error, offset });

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) return fail('unterminated XML declaration');
    pos = end + 2;
  }
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt < 0 ? xml.length : lt;
    const textError = checkText(xml, pos, textEnd);
    if (textError) return fail(textError.error, textError.offset);
    if (stack.length === 0 && xml.slice(pos, textEnd).trim() !== '') return fail('text outside the root element');
    if (lt < 0) break;
    pos = lt;
    if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos + 4);
      if (end < 0) return fail('unterminated comment');
      if (xml.slice(pos + 4, end).includes('--')) return fail('"--" inside a comment');
      pos = end + 3;
    } else if (xml.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) return fail('CDATA outside the root element');
      const end = xml.indexOf(']]>', pos);
      if (end < 0) return fail('unterminated CDATA section');
      pos = end + 3;
    } else if (xml.startsWith('<?', pos)) {
      const end = xml.indexOf('?>', pos);
      if (end < 0) return fail('unterminated processing instruction');
      pos = end + 2;
    } else if (xml.startsWith('<!', pos)) {
      return fail('DTDs and declarations are not supported');
    } else if (xml.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(xml);
      if (!m) return fail('bad closing tag name', pos + 2);
      const open = stack.pop();
      if (open !== m[0]) return fail(open ? `</${m[0]}> closes <${open}>` : `</${m[0]}> without an open element`);
      SPACE.lastIndex = pos + 2 + m[0].length;
      SPACE.exec(xml);
      if (xml[SPACE.lastIndex] !== '>') return fail(`expected ">" to close </${m[0]}>`, SPACE.lastIndex);
      pos = SPACE.lastIndex + 1;
      if (stack.length === 0) rootClosed = true;
    } else {
      if (rootClosed) return fail('a second root element');
      NAME.lastIndex = pos + 1;
      const m = NAME.exec(xml);
      if (!m) return fail('bad element name', pos + 1);
      const name = m[0];
      pos = NAME.lastIndex;
      const seen = new Set<string>();
      for (;;) {
        SPACE.lastIndex = pos;
        SPACE.exec(xml);
        const hadSpace = SPACE.lastIndex > pos;
        pos = SPACE.lastIndex;
        if (xml.startsWith('/>', pos)) {
          pos += 2;
          numElements++;
          if (stack.length === 0) {
            rootName ||= name;
            rootClosed = true;
          }
          break;
        }
        if (xml[pos] === '>') {
          pos += 1;
          numElements++;
          if (stack.length === 0) rootName ||= name;
          stack.push(name);
          break;
        }
        if (pos >= xml.length) return fail(`unterminated start tag <${name}>`);
        if (!hadSpace) return fail(`expected whitespace before an attribute in <${name}>`);
        NAME.lastIndex = pos;
        const a = NAME.exec(xml);
        if (!a) return fail(`bad attribute name in <${name}>`);
        if (seen.has(a[0])) return fail(`duplicate attribute ${a[0]} in <${name}>`);
        seen.add(a[0]);
        SPACE.lastIndex = NAME.lastIndex;
        SPACE.exec(xml);
        if (xml[SPACE.lastIndex] !== '=') return fail(`attribute ${a[0]} in <${name}> has no value`, SPACE.lastIndex);
        SPACE.lastIndex += 1;
        SPACE.exec(xml);
        const quote = xml[SPACE.lastIndex];
        if (quote !== '"' && quote !== "'")
          return fail(`attribute ${a[0]} in <${name}> is not quoted`, SPACE.lastIndex);
        const close = xml.indexOf(quote, SPACE.lastIndex + 1);
        if (close < 0) return fail(`unterminated value of attribute ${a[0]}`, SPACE.lastIndex);
        const valueStart = SPACE.lastIndex + 1;
        if (xml.slice(valueStart, close).includes('<'))
          return fail(`"<" in the value of attribute ${a[0]}`, valueStart);
        const valueError = checkText(xml, valueStart, close);
        if (valueError) return fail(valueError.error, valueError.offset);
        pos = close + 1;
      }
    }
  }
  if (stack.length > 0) return fail(`unclosed element <${stack[stack.length - 1]}>`, xml.length);
  if (numElements === 0) return fail('no root element', 0);
  return { ok: true, numElements, rootName };
}

/** Every "&" in xml[start, end) must begin a predefined entity or a character reference. */
function checkText(xml: string, start: number, end: number): { error: string; offset: number } | undefined {
  for (let amp = xml.indexOf('&', start); amp >= 0 && amp < end; amp = xml.indexOf('&', amp + 1)) {
    ENTITY.lastIndex = amp;
    const m = ENTITY.exec(xml);
    if (!m || amp + m[0].length > end) return { error: 'bare "&" or unknown entity', offset: amp };
  }
  return undefined;
}
