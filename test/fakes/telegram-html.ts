/**
 * What Telegram checks in parse_mode=HTML: only its tags, properly nested, and only
 * &lt; &gt; &amp; &quot; and numeric entities. Returns the visible text, or the error
 * Telegram would give.
 */
const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type HtmlCheck = { ok: true; text: string } | { ok: false; error: string };

export function parseTelegramHtml(html: string): HtmlCheck {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return { ok: false, error: `Unclosed start tag at byte offset ${i}` };
      const raw = html.slice(i + 1, end).trim();
      const closing = raw.startsWith('/');
      const name = (closing ? raw.slice(1) : raw).split(/\s/)[0]?.toLowerCase() ?? '';
      if (!TAGS.has(name)) return { ok: false, error: `Unsupported start tag "${name}" at byte offset ${i}` };
      if (closing) {
        if (stack.pop() !== name)
          return { ok: false, error: `Unmatched end tag at byte offset ${i}, expected "</${stack.at(-1) ?? ''}>", found "</${name}>"` };
      } else {
        stack.push(name);
      }
      i = end + 1;
    } else if (ch === '&') {
      const end = html.indexOf(';', i);
      const name = end > i ? html.slice(i + 1, end) : '';
      if (ENTITIES[name] !== undefined) text += ENTITIES[name];
      else if (/^#\d{1,7}$/.test(name)) text += String.fromCodePoint(Number(name.slice(1)));
      else if (/^#x[0-9a-f]{1,6}$/i.test(name)) text += String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      else return { ok: false, error: `Unsupported HTML entity at byte offset ${i}` };
      i = end + 1;
    } else if (ch === '>') {
      return { ok: false, error: `Unexpected end tag at byte offset ${i}` };
    } else {
      text += ch;
      i++;
    }
  }
  if (stack.length > 0) return { ok: false, error: `Can't find end tag corresponding to start tag "${stack.at(-1)}"` };
  return { ok: true, text };
}
