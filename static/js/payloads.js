// Read what a scanned QR code carries (vCard, MECARD, BIZCARD, links, tel:, mailto:, text) into the
// fields of a contact, offline. pwa/exchange/payloads.py is the same parser on the server, function
// for function, and tests/data/payloads.json holds both to the same answers. To agree on any input,
// both use only ASCII-only regexes, their own trim and case mapping, and count lengths in code
// points. The result is data: show it with textContent, never as HTML.

// The most characters read; a QR code holds at most about 7,000.
const MAX_INPUT = 16384;
// The most characters kept as the raw payload (the contact's raw_payload limit).
const MAX_RAW = 8192;
// The contact fields a scan fills, with the limits the contacts API enforces.
const LIMITS = {
  name: 200,
  company: 200,
  title: 200,
  email: 320,
  phone: 50,
  url: 2048,
};
const NOTES_LIMIT = 10000;

const SPACE =
  ' \\t\\n\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const SPACES = new RegExp(`[${SPACE}]+`, 'g');
const SPACE_CHARS = new Set([
  ...' \t\n\u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
]);
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEWLINE = /\r\n?/g;
const full = (source, flags = '') => new RegExp(`^(?:${source})$`, flags);
const EMAIL = full(`[^@${SPACE}]+@[^@${SPACE}]+\\.[^@${SPACE}]+`);
const WEB_URL = full(`https?://[^/?#${SPACE}]+(?:[/?#][^${SPACE}]*)?`, 'i');
const DOMAIN = '(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}';
// A link without its scheme, in a field meant for links (vCard URL, URLTO:).
const LOOSE_LINK = full(`${DOMAIN}(?:[/?#][^${SPACE}]*)?`);
// A link without its scheme as a whole payload: www.example.com or example.com/path.
const BARE_LINK = full(
  `[Ww]{3}\\.${DOMAIN}(?:[/?#][^${SPACE}]*)?|${DOMAIN}/[^${SPACE}]*`,
);
// A Hallway public card link, on any server: /c/<token>.
const HALLWAY_CARD = full(
  `[A-Za-z]+://[^/?#]+/c/([A-Za-z0-9_-]{1,64})/?(?:[?#][^${SPACE}]*)?`,
);
const APPLE_LABEL = /_\$!<([^>]*)>!\$_/g;
const HEX_RUN = { '=': /(?:=[0-9A-Fa-f]{2})+/g, '%': /(?:%[0-9A-Fa-f]{2})+/g };
const ESCAPE_OR_SEMICOLON = /\\[\s\S]|;/g;
const VCARD_ESCAPE = /\\([\s\S])/g;
const DIGIT = /[0-9]/;
const BADGE_TOKEN = /[A-Za-z0-9][A-Za-z0-9_-]{3,199}/g;
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
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });
// windows-1252's bytes 0x80-0x9F (the rest are Latin-1), spelled out: some engines decode the
// label as ISO-8859-1.
const CP1252_HIGH =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f' +
  '\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';
const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);
const PLAIN_TYPES = new Set([
  'pref',
  'internet',
  'voice',
  'x400',
  'text',
  'uri',
]);
// vCard properties read as labelled details: a phone, an email, a link or a line of the notes.
const DETAILS = new Map([
  ['TEL', 'Phone'],
  ['EMAIL', 'Email'],
  ['URL', 'URL'],
  ['X-SOCIALPROFILE', 'URL'],
  ['ADR', 'Address'],
  ['NICKNAME', 'Nickname'],
  ['BDAY', 'Birthday'],
]);
const IDENTITY = new Set(['FN', 'N', 'ORG', 'TITLE', 'ROLE']);
const MECARD_DETAILS = new Map([
  ['TEL', 'Phone'],
  ['EMAIL', 'Email'],
  ['URL', 'URL'],
  ['NOTE', 'Note'],
  ['ADR', 'Address'],
  ['NICKNAME', 'Nickname'],
  ['BDAY', 'Birthday'],
]);

// A payload's format, the contact fields it fills and the raw text to keep.
export function parsePayload(value) {
  const text = asText(value);
  let result;
  try {
    result = parse(prepare(text));
  } catch (error) {
    // a bug here must never lose a scan: keep the payload as a note instead
    console.error(
      'Could not parse a scanned payload; keeping it as a note.',
      error,
    );
    result = note(prepare(text));
  }
  result.raw_payload = cut(text.replaceAll('\x00', ''), MAX_RAW);
  return result;
}

// What in a payload may be an attendee's badge id: the whole payload, then each word with a
// digit in it (a registration number inside a URL or a vCard).
export function badgeCandidates(value) {
  const payload = prepare(asText(value));
  const found = payload && !tooLong(payload, 200) ? [payload] : [];
  for (const token of payload.match(BADGE_TOKEN) || []) {
    if (DIGIT.test(token) && !found.includes(token)) found.push(token);
  }
  return found.slice(0, 50);
}

function asText(value) {
  let text = '';
  try {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value))
      text = UTF8.decode(value);
    else if (value !== null && value !== undefined) text = String(value);
  } catch {
    text = '';
  }
  text = text.slice(0, 2 * MAX_INPUT).replace(LONE_SURROGATE, '\ufffd');
  return cut(text, MAX_INPUT);
}

function prepare(text) {
  return trim(plain(text));
}

function parse(payload) {
  const head = upper(payload.slice(0, 12));
  for (const [prefix, read] of READERS) {
    if (head.startsWith(prefix))
      return read(payload.slice(prefix.length), payload) || note(payload);
  }
  return link(payload, BARE_LINK) || note(payload);
}

function note(payload) {
  const notes = cleanNotes(payload);
  return { format: 'text', contact: notes ? { notes } : {} };
}

// A Hallway card link or another http(s) link; `bare` says what may stand without a scheme.
function link(text, bare) {
  const url = webUrl(text, bare);
  if (!url) return null;
  const card = HALLWAY_CARD.exec(url);
  if (card) return { format: 'hallway', contact: { url }, token: card[1] };
  return { format: 'url', contact: { url } };
}

function urlto(rest) {
  return link(trim(rest), LOOSE_LINK);
}

function tel(rest) {
  const phone = cleanLine(telNumber(percentDecode(rest)), LIMITS.phone);
  return DIGIT.test(phone) ? { format: 'tel', contact: { phone } } : null;
}

function mailto(rest) {
  const card = new Card();
  for (const address of percentDecode(rest.split('?')[0]).split(','))
    card.add('Email', address);
  const result = card.result('email');
  return 'email' in result.contact ? result : null;
}

// MECARD:N:Last,First;TEL:...;EMAIL:...;ORG:...;; with repeatable TEL, EMAIL, URL, ADR.
function mecard(rest) {
  const card = new Card();
  for (let [key, value] of fields(rest)) {
    if (key === 'N') {
      const [last, comma, first] = partition(value, ',');
      card.name = card.name || (comma ? `${first} ${last}` : value);
    } else if (key === 'ORG') card.company = card.company || value;
    else if (key === 'TITLE') card.title = card.title || value;
    else if (MECARD_DETAILS.has(key)) {
      if (key === 'ADR')
        value = value
          .split(',')
          .filter((part) => trim(part))
          .map(trim)
          .join(', ');
      card.add(MECARD_DETAILS.get(key), value);
    }
  }
  return card.result('mecard');
}

// BIZCARD:N:First;X:Last;T:Title;C:Company;A:Address;B:Phone;M:Mobile;F:Fax;E:Email;;
function bizcard(rest) {
  const values = new Map();
  for (const [key, value] of fields(rest)) {
    if (!values.has(key)) values.set(key, value);
  }
  const get = (key) => values.get(key) ?? '';
  const card = new Card();
  card.name = `${get('N')} ${get('X')}`;
  card.title = get('T');
  card.company = get('C');
  for (const [key, kind, label] of [
    ['B', 'Phone', ''],
    ['M', 'Phone', 'mobile'],
    ['E', 'Email', ''],
  ])
    card.add(kind, get(key), label);
  card.add('Fax', get('F'));
  card.add('Address', get('A'));
  return card.result('bizcard');
}

// MECARD-style KEY:value fields; a backslash escapes the character after it.
function fields(body) {
  const found = [];
  for (const field of splitEscaped(body)) {
    const [key, colon, value] = partition(field, ':');
    if (colon)
      found.push([upper(trim(key)), value.replace(VCARD_ESCAPE, '$1')]);
  }
  return found;
}

// vCard 2.1, 3.0 and 4.0 as phones and address books write them, leniently.
function vcard(rest, payload) {
  const card = new Card();
  const identity = new Map();
  const labels = new Map();
  const details = [];
  let begun = false;
  for (const line of logicalLines(payload.split('\n'))) {
    const prop = property(line);
    if (!prop) continue;
    const [group, name, params] = prop;
    if (name === 'BEGIN' || name === 'END') {
      // one card per scan; a second BEGIN means the first never ended
      if (name === 'END' || begun) break;
      begun = true;
      continue;
    }
    let value = decode(prop[3], params);
    if (value === null) continue;
    const parts = splitEscaped(value).map((part) => trim(unescape(part)));
    value = name === 'ADR' ? parts.filter(Boolean).join(', ') : unescape(value);
    if (IDENTITY.has(name)) {
      if (!identity.has(name))
        identity.set(
          name,
          name === 'N' || name === 'ORG' ? parts : [trim(value)],
        );
    } else if (name === 'X-ABLABEL')
      labels.set(group, trim(value).replace(APPLE_LABEL, '$1'));
    else if (name === 'NOTE') card.add('Note', value);
    else if (DETAILS.has(name)) {
      if (
        name === 'TEL' &&
        (params.uri || lower(trim(value).slice(0, 4)) === 'tel:')
      )
        value = telNumber(value);
      details.push([DETAILS.get(name), value, group, params]);
    }
  }
  for (const [kind, value, group, params] of details)
    card.add(
      kind,
      value,
      labels.get(group) || typeLabel(params.types),
      params.pref,
    );
  vcardIdentity(card, identity);
  return card.result('vcard');
}

// Name (FN, else built from N), company and departments (ORG), title (TITLE, else ROLE).
function vcardIdentity(card, identity) {
  const [family, given, middle, prefix, suffix] = [
    ...(identity.get('N') || []),
    ...['', '', '', '', ''],
  ].slice(0, 5);
  const nName = [prefix, given, middle, family, suffix]
    .filter(Boolean)
    .join(' ');
  card.name = (identity.get('FN') || [''])[0] || nName;
  const org = (identity.get('ORG') || []).filter(Boolean);
  card.company = org.length ? org[0] : '';
  card.add('Department', org.slice(1).join(', '));
  const title = (identity.get('TITLE') || [''])[0];
  const role = (identity.get('ROLE') || [''])[0];
  card.title = title || role;
  if (title && role !== title) card.add('Role', role);
}

// Undo folding (a line starting with a space or tab continues the one before) and
// quoted-printable soft breaks (a value ending in "=" continues on the next line).
function logicalLines(lines) {
  const joined = [];
  let soft = false;
  for (const line of lines) {
    const last = joined.length - 1;
    if (last >= 0 && soft && joined[last].endsWith('='))
      joined[last] = joined[last].slice(0, -1) + line;
    else if (last >= 0 && (line.startsWith(' ') || line.startsWith('\t')))
      joined[last] += line.slice(1);
    else {
      joined.push(line);
      const colon = line.indexOf(':');
      soft =
        colon > 0 && upper(line.slice(0, colon)).includes('QUOTED-PRINTABLE');
    }
  }
  return joined;
}

// Split `group.NAME;param=value;BARE:value`; a colon inside a quoted parameter is not the end.
function property(line) {
  let colon = -1;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon < 0) colon = line.indexOf(':');
  if (colon < 0) return null;
  const [head, ...params] = line.slice(0, colon).split(';');
  const dot = head.lastIndexOf('.');
  const group = trim(head.slice(0, Math.max(dot, 0)));
  const name = upper(trim(head.slice(dot + 1)));
  return [group, name, paramsOf(params), line.slice(colon + 1)];
}

function paramsOf(parts) {
  const params = {
    types: [],
    encoding: '',
    charset: '',
    uri: false,
    pref: false,
  };
  for (const part of parts) {
    const [rawKey, equals, rawValue] = partition(part, '=');
    let key = upper(trim(rawKey));
    let value = trim(rawValue.replaceAll('"', ''));
    // vCard 2.1 writes bare values: TEL;CELL;PREF, NOTE;QUOTED-PRINTABLE
    if (!equals) [key, value] = [ENCODINGS.has(key) ? 'ENCODING' : 'TYPE', key];
    if (key === 'TYPE')
      params.types.push(
        ...value
          .split(',')
          .filter((t) => trim(t))
          .map((t) => lower(trim(t))),
      );
    else if (key === 'ENCODING') params.encoding = upper(value);
    else if (key === 'CHARSET') params.charset = lower(value);
    else if (key === 'VALUE') params.uri = lower(value) === 'uri';
    else if (key === 'PREF') params.pref = true;
  }
  params.pref = params.pref || params.types.includes('pref');
  return params;
}

// The value as text; null for base64 (photos, keys), which a contact does not hold.
function decode(value, params) {
  if (params.encoding === 'B' || params.encoding === 'BASE64') return null;
  if (params.encoding === 'QUOTED-PRINTABLE')
    return hexDecode(value, '=', params.charset);
  return value;
}

function typeLabel(types) {
  return [...new Set(types.filter((t) => !PLAIN_TYPES.has(t)))].join(', ');
}

const READERS = [
  ['BEGIN:VCARD', vcard],
  ['MECARD:', mecard],
  ['BIZCARD:', bizcard],
  ['URLTO:', urlto],
  ['TEL:', tel],
  ['MAILTO:', mailto],
];

// What a card says, gathered detail by detail, then cut to the contact's fields and limits.
class Card {
  constructor() {
    this.name = this.company = this.title = '';
    this.phones = [];
    this.emails = [];
    this.urls = [];
    this.notes = [];
    this.extras = [];
  }

  // Keep a phone, email or link (the preferred or first usable one fills the field), a note,
  // or a labelled line for the notes.
  add(kind, value, label = '', pref = false) {
    value = kind === 'Note' ? trim(plain(value)) : cleanLine(value);
    if (!value) return;
    if (kind === 'Phone' || kind === 'Email' || kind === 'URL') {
      if (kind === 'URL') value = webUrl(value, LOOSE_LINK) || value;
      const list = { Phone: this.phones, Email: this.emails, URL: this.urls };
      list[kind].push([value, cleanLine(label), pref]);
    } else if (kind === 'Note') this.notes.push(value);
    else this.extras.push(line(kind, cleanLine(label), value));
  }

  // The scan's answer: format and the contact's fields, each within its limit.
  result(format) {
    const [phone, phoneLines] = choose(this.phones, 'Phone', () => true);
    const [email, emailLines] = choose(this.emails, 'Email', validEmail);
    const [url, urlLines] = choose(
      this.urls,
      'URL',
      (v) => webUrl(v, null) === v,
    );
    const values = {
      name: this.name,
      company: this.company,
      title: this.title,
    };
    Object.assign(values, { email, phone, url });
    const contact = {};
    for (const [key, value] of Object.entries(values)) {
      const clean = cleanLine(value, LIMITS[key]);
      if (clean) contact[key] = clean;
    }
    const lines = [
      ...this.notes,
      ...phoneLines,
      ...emailLines,
      ...urlLines,
      ...this.extras,
    ];
    const notes = cleanNotes(lines.join('\n'));
    if (notes) contact.notes = notes;
    return { format, contact };
  }
}

// The preferred usable entry (else the first usable one) and note lines for the others.
function choose(entries, kind, usable) {
  const usableAt = [];
  entries.forEach(([value], i) => usable(value) && usableAt.push(i));
  const preferred = usableAt.find((i) => entries[i][2]);
  const chosen = preferred ?? (usableAt.length ? usableAt[0] : -1);
  const lines = entries
    .filter((_, i) => i !== chosen)
    .map(([value, label]) => line(kind, label, value));
  return [chosen >= 0 ? entries[chosen][0] : '', lines];
}

function line(kind, label, value) {
  return label ? `${kind} (${label}): ${value}` : `${kind}: ${value}`;
}

// The text as an http(s) link with no spaces, within the URL limit; `bare` (a pattern) may match
// a link written without its scheme, which then gets https://.
function webUrl(text, bare) {
  if (tooLong(text, LIMITS.url)) return null;
  if (WEB_URL.test(text)) return text;
  if (bare && bare.test(text) && !tooLong(text, LIMITS.url - 8))
    return 'https://' + text;
  return null;
}

// An address the contacts API accepts.
function validEmail(value) {
  return !tooLong(value, LIMITS.email) && EMAIL.test(value);
}

// The number of a tel: URI (tel:+1-555-0100;ext=12 -> +1-555-0100 ext. 12).
function telNumber(value) {
  value = trim(value);
  if (lower(value.slice(0, 4)) === 'tel:') value = value.slice(4);
  const [number, ...params] = value.split(';').map(trim);
  const ext = params.find((p) => lower(p.slice(0, 4)) === 'ext=');
  return (
    trim(number) +
    (ext && trim(ext.slice(4)) ? ` ext. ${trim(ext.slice(4))}` : '')
  );
}

// Split on semicolons that no backslash escapes (vCard components, MECARD fields).
function splitEscaped(text) {
  const parts = [];
  let start = 0;
  for (const match of text.matchAll(ESCAPE_OR_SEMICOLON)) {
    if (match[0] === ';') {
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
function unescape(value) {
  return value.replace(VCARD_ESCAPE, (match, c) => UNESCAPED.get(c) ?? match);
}

// Decode runs of =XX (quoted-printable) or %XX (URL) bytes in the given charset.
function hexDecode(text, mark, charset = 'utf-8') {
  return text.replace(HEX_RUN[mark], (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++)
      bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    return LATIN.has(charset) ? cp1252(bytes) : UTF8.decode(bytes);
  });
}

function cp1252(bytes) {
  const high = (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : null);
  return Array.from(bytes, (b) => high(b) ?? String.fromCharCode(b)).join('');
}

function percentDecode(text) {
  return hexDecode(text, '%');
}

// Unify line ends and drop control characters other than newline and tab.
function plain(text) {
  return text.replace(NEWLINE, '\n').replace(CONTROL, '');
}

// One line of text: no control characters, spaces collapsed, trimmed, cut to limit.
function cleanLine(text, limit = null) {
  return trim(cut(trim(plain(text).replace(SPACES, ' ')), limit));
}

// Text for the notes: no control characters, trimmed, cut to the notes limit.
function cleanNotes(text) {
  return trim(cut(trim(plain(text)), NOTES_LIMIT));
}

// Lengths count code points, as Python does.
function tooLong(text, limit) {
  return text.length > limit && Array.from(text).length > limit;
}

function cut(text, limit) {
  if (limit === null || !tooLong(text, limit)) return text;
  return Array.from(text).slice(0, limit).join('');
}

// Strip the spaces SPACE names (the same set in both languages, unlike String.trim).
function trim(text) {
  let start = 0;
  let end = text.length;
  while (start < end && SPACE_CHARS.has(text[start])) start++;
  while (end > start && SPACE_CHARS.has(text[end - 1])) end--;
  return text.slice(start, end);
}

function upper(text) {
  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

function lower(text) {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function partition(text, separator) {
  const at = text.indexOf(separator);
  if (at < 0) return [text, '', ''];
  return [text.slice(0, at), separator, text.slice(at + separator.length)];
}
