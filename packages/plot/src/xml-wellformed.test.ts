import { describe, expect, it } from 'vitest';
import { checkXmlWellFormed } from './xml-wellformed.js';

describe('checkXmlWellFormed', () => {
  it.each([
    ['<svg/>', 1],
    ['<?xml version="1.0"?>\n<a x="1" y=\'2\'><b>t &amp; u &#60; &#x3C;</b><!-- c --><c/></a>', 3],
    ['<style><![CDATA[a > b { }]]></style>', 1],
    ['<a>\n  <b>x > y</b>\n</a>\n', 2],
  ])('accepts %j', (xml, numElements) => {
    expect(checkXmlWellFormed(xml)).toMatchObject({ ok: true, numElements });
  });

  it.each([
    ['', 'no root element'],
    ['<a><b></a></b>', '</a> closes <b>'],
    ['<a>', 'unclosed element <a>'],
    ['</a>', '</a> without an open element'],
    ['<a x=1/>', 'attribute x in <a> is not quoted'],
    ['<a x="1" x="2"/>', 'duplicate attribute x in <a>'],
    ['<a x="<"/>', '"<" in the value of attribute x'],
    ['<a>&foo;</a>', 'bare "&" or unknown entity'],
    ['<a>fish & chips</a>', 'bare "&" or unknown entity'],
    ['<a x="R&D"/>', 'bare "&" or unknown entity'],
    ['<a/><b/>', 'a second root element'],
    ['text<a/>', 'text outside the root element'],
    ['<a><!-- a -- b --></a>', '"--" inside a comment'],
    ['<a x="1"y="2"/>', 'expected whitespace before an attribute in <a>'],
    ['<a x/>', 'attribute x in <a> has no value'],
    ['<1a/>', 'bad element name'],
  ])('rejects %j: %s', (xml, error) => {
    const result = checkXmlWellFormed(xml);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe(error);
  });

  it('reports the offset of the problem', () => {
    expect(checkXmlWellFormed('<a>ok &bad; </a>')).toEqual({
      ok: false,
      error: 'bare "&" or unknown entity',
      offset: 6,
    });
  });
});
