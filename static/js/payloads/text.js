// The limits a scan keeps to and the text cleaning every reader shares: spaces, trim, case.

// The most characters read; a QR code holds at most about 7,000.
export const MAX_INPUT = 16384;
// The most characters kept as the raw payload (the contact's raw_payload limit).
export const MAX_RAW = 8192;
// The contact fields a scan fills, with the limits the contacts API enforces.
export const LIMITS = {
  name: 200,
  company: 200,
  title: 200,
  email: 320,
  phone: 50,
  url: 2048,
};
export const NOTES_LIMIT = 10000;
// A contact's tags: how many, and how long each.
export const MAX_TAGS = 50;
export const TAG_LIMIT = 50;

export const SPACE =
  ' \\t\\n\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const SPACES = new RegExp(`[${SPACE}]+`, 'g');
const SPACE_CHARS = new Set([
  ...' \t\n\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
]);
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const NEWLINE = /\r\n?/g;
export const DIGIT = /[0-9]/;
// A pattern that must match the whole text, as Python's fullmatch does.
export const full = (source, flags = '') =>
  new RegExp(`^(?:${source})$`, flags);

// Unify line ends and drop control characters other than newline and tab.
export function plain(text) {
  return text.replace(NEWLINE, '\n').replace(CONTROL, '');
}

// One line of text: no control characters, spaces collapsed, trimmed, cut to limit.
export function cleanLine(text, limit = null) {
  return trim(cut(trim(plain(text).replace(SPACES, ' ')), limit));
}

// Text for the notes: no control characters, trimmed, cut to the notes limit.
export function cleanNotes(text) {
  return trim(cut(trim(plain(text)), NOTES_LIMIT));
}

// Lengths count code points, as Python does.
export function tooLong(text, limit) {
  return text.length > limit && Array.from(text).length > limit;
}

export function cut(text, limit) {
  if (limit === null || !tooLong(text, limit)) return text;
  return Array.from(text).slice(0, limit).join('');
}

// Strip the spaces SPACE names (the same set in both languages, unlike String.trim).
export function trim(text) {
  let start = 0;
  let end = text.length;
  while (start < end && SPACE_CHARS.has(text[start])) start++;
  while (end > start && SPACE_CHARS.has(text[end - 1])) end--;
  return text.slice(start, end);
}

export function upper(text) {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

export function lower(text) {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

// Python's str.partition: the text before the first separator, the separator, the rest.
export function partition(text, separator) {
  const at = text.indexOf(separator);
  if (at < 0) return [text, '', ''];
  return [text.slice(0, at), separator, text.slice(at + separator.length)];
}
