// Read what a scanned QR code carries (vCard, MECARD, BIZCARD, links, tel:, mailto:, text) into the
// fields of a contact, offline. pwa/exchange/payloads/ is the same parser on the server, module for
// module and function for function, and tests/data/payloads.json holds both to the same answers.
// To agree on any input, both use only ASCII-only regexes, their own trim and case mapping, and
// count lengths in code points. The result is data: show it with textContent, never as HTML.
//
// This module recognises the format and hands the payload to its reader: payloads/text.js holds
// the limits and text cleaning, decoding.js escapes and encoded bytes, card.js the card gathered
// into contact fields, links.js the links, mecard.js MECARD and BIZCARD, vcard.js vCards.

import { UTF8 } from './payloads/decoding.js';
import {
  BARE_LINK,
  link,
  readMailto,
  readTel,
  readUrlto,
} from './payloads/links.js';
import { readBizcard, readMecard } from './payloads/mecard.js';
import {
  DIGIT,
  MAX_INPUT,
  MAX_RAW,
  cleanNotes,
  cut,
  plain,
  tooLong,
  trim,
  upper,
} from './payloads/text.js';
import { readVcard } from './payloads/vcard.js';

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BADGE_TOKEN = /[A-Za-z0-9][A-Za-z0-9_-]{3,199}/g;
// Each format's prefix (compared in upper case) and the reader of what follows it.
const READERS = [
  ['BEGIN:VCARD', readVcard],
  ['MECARD:', readMecard],
  ['BIZCARD:', readBizcard],
  ['URLTO:', readUrlto],
  ['TEL:', readTel],
  ['MAILTO:', readMailto],
];

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
