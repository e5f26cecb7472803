// Undo what payloads encode: backslash escapes, escaped semicolons, =XX and %XX bytes in a charset.

const HEX_RUN = { '=': /(?:=[0-9A-Fa-f]{2})+/g, '%': /(?:%[0-9A-Fa-f]{2})+/g };
const ESCAPE_OR = { ';': /\\[\s\S]|;/g, ',': /\\[\s\S]|,/g };
export const VCARD_ESCAPE = /\\([\s\S])/g;
const LATIN = new Set([
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'latin-1',
  'windows-1252',
  'cp1252',
  'us-ascii',
  'ascii',
]);
// ignoreBOM keeps a leading U+FEFF, as Python's decoder does.
export const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
// windows-1252's bytes 0x80-0x9F (the rest are Latin-1), spelled out: some engines decode the
// label as ISO-8859-1.
const CP1252_HIGH =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

// Split on semicolons (or commas) that no backslash escapes (vCard components and lists,
// MECARD fields).
export function splitEscaped(text, mark = ';') {
  const parts = [];
  let start = 0;
  for (const match of text.matchAll(ESCAPE_OR[mark])) {
    if (match[0] === mark) {
      parts.push(text.slice(start, match.index));
      start = match.index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const UNESCAPED = new Map([
  ['n', '\n'],
  ['N', '\n'],
  [',', ','],
  [';', ';'],
  ['\\', '\\'],
  [':', ':'],
  ['"', '"'],
]);

// vCard escapes \n \, \; \\, and in the wild \: (iOS) and \" (Google); others stay.
export function unescape(value) {
  return value.replace(VCARD_ESCAPE, (match, c) => UNESCAPED.get(c) ?? match);
}

const UTF8_NAMES = new Set(['', 'utf-8', 'utf8']);
const ASCII = /^[\x00-\x7f]*$/;

// Decode runs of =XX (quoted-printable) or %XX (URL) bytes in the given charset. In a charset of
// several bytes per character that is not UTF-8 (Shift_JIS, GBK, Big5, ...), a character's second
// byte may be written as itself (=8ER is 山's 0x8E 0x52): there the whole value is made bytes
// first, then decoded.
export function hexDecode(text, mark, charset = 'utf-8') {
  if (
    mark === '=' &&
    !LATIN.has(charset) &&
    !UTF8_NAMES.has(charset) &&
    ASCII.test(text)
  )
    return decodeIn(qpBytes(text), charset);
  return text.replace(HEX_RUN[mark], (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++)
      bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return LATIN.has(charset) ? cp1252(bytes) : decodeIn(bytes, charset);
  });
}

// Bytes in a charset the browser knows (Shift_JIS, ISO-8859-2, windows-1251, ...), else UTF-8.
function decodeIn(bytes, charset) {
  if (!charset || charset === 'utf-8') return UTF8.decode(bytes);
  try {
    return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes);
  } catch {
    return UTF8.decode(bytes);
  }
}

function qpBytes(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return new Uint8Array(bytes);
}

function cp1252(bytes) {
  const high = (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : null);
  return Array.from(bytes, (b) => high(b) ?? String.fromCharCode(b)).join('');
}

export function percentDecode(text) {
  return hexDecode(text, '%');
}
