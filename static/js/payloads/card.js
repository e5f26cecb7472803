// A card's details gathered into a contact's fields, and what its link and email fields accept.

import {
  LIMITS,
  MAX_TAGS,
  SPACE,
  TAG_LIMIT,
  cleanLine,
  cleanNotes,
  full,
  plain,
  tooLong,
  trim,
} from './text.js';

const EMAIL = full(`[^@${SPACE}]+@[^@${SPACE}]+\\.[^@${SPACE}]+`);
const WEB_URL = full(`https?://[^/?#${SPACE}]+(?:[/?#][^${SPACE}]*)?`, 'i');
export const DOMAIN = '(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,63}';
// A link without its scheme, in a field meant for links (vCard URL, URLTO:).
export const LOOSE_LINK = full(`${DOMAIN}(?:[/?#][^${SPACE}]*)?`);

// What a card says, gathered detail by detail, then cut to the contact's fields and limits.
export class Card {
  constructor() {
    this.name = this.company = this.title = '';
    this.phones = [];
    this.emails = [];
    this.urls = [];
    this.notes = [];
    this.extras = [];
    this.tags = [];
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
    const tags = this.tags.map((tag) => cleanLine(tag, TAG_LIMIT));
    const unique = [...new Set(tags.filter(Boolean))].slice(0, MAX_TAGS);
    if (unique.length) contact.tags = unique;
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
export function webUrl(text, bare) {
  if (tooLong(text, LIMITS.url)) return null;
  if (WEB_URL.test(text)) return text;
  if (bare && bare.test(text) && !tooLong(text, LIMITS.url - 8))
    return 'https://' + text;
  return null;
}

// An address the contacts API accepts.
export function validEmail(value) {
  return !tooLong(value, LIMITS.email) && EMAIL.test(value);
}
