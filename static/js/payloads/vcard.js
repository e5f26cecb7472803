// vCard 2.1, 3.0 and 4.0: logical lines, properties and their parameters, decoded values, identity.

import { Card } from './card.js';
import { hexDecode, splitEscaped, unescape } from './decoding.js';
import { telNumber } from './links.js';
import { lower, partition, trim, upper } from './text.js';

const APPLE_LABEL = /_\$!<([^>]*)>!\$_/g;
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

// vCard 2.1, 3.0 and 4.0 as phones and address books write them, leniently.
export function readVcard(rest, payload) {
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
    const text = decode(prop[3], params);
    if (text === null) continue;
    const parts = splitEscaped(text).map((part) => trim(unescape(part)));
    let value =
      name === 'ADR' ? parts.filter(Boolean).join(', ') : unescape(text);
    if (IDENTITY.has(name)) {
      if (!identity.has(name))
        identity.set(
          name,
          name === 'N' || name === 'ORG' ? parts : [trim(value)],
        );
    } else if (name === 'X-ABLABEL')
      labels.set(group, trim(value).replace(APPLE_LABEL, '$1'));
    else if (name === 'NOTE') card.add('Note', value);
    else if (name === 'CATEGORIES')
      card.tags.push(...splitEscaped(text, ',').map((tag) => unescape(tag)));
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

// The value as text, quoted-printable bytes decoded in the declared charset and escapes kept;
// null for base64 (photos, keys), which a contact does not hold.
function decode(value, params) {
  if (params.encoding === 'B' || params.encoding === 'BASE64') return null;
  if (params.encoding === 'QUOTED-PRINTABLE')
    return hexDecode(value, '=', params.charset);
  return value;
}

function typeLabel(types) {
  return [...new Set(types.filter((t) => !PLAIN_TYPES.has(t)))].join(', ');
}
