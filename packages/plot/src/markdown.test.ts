import { describe, expect, it } from 'vitest';
import { renderMarkdownish } from './markdown.js';

describe('renderMarkdownish', () => {
  it.each([
    ['one line', '<p>one line</p>'],
    ['two\nlines', '<p>two lines</p>'],
    ['a\n\nb', '<p>a</p>\n<p>b</p>'],
    ['# Head', '<h3>Head</h3>'],
    ['## Sub', '<h4>Sub</h4>'],
    ['- a\n- b', '<ul><li>a</li><li>b</li></ul>'],
    ['1. a\n2. b', '<ol><li>a</li><li>b</li></ol>'],
    ['**bold** and `code`', '<p><strong>bold</strong> and <code>code</code></p>'],
    // Code spans are literal: no bold inside, and markup is escaped.
    ['`**x** <y>`', '<p><code>**x** &lt;y&gt;</code></p>'],
    ['<script>alert(1)</script> & co', '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>'],
    ['```\nx < 1\n\ny\n```', '<pre><code>x &lt; 1\n\ny</code></pre>'],
    ['[link](http://example.com)', '<p>[link](http://example.com)</p>'],
  ])('%j', (text, html) => {
    expect(renderMarkdownish(text)).toBe(html);
  });
});
