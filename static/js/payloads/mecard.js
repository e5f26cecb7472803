// MECARD and BIZCARD cards: KEY:value fields between semicolons that no backslash escapes.

import { Card } from './card.js';
import { VCARD_ESCAPE, splitEscaped } from './decoding.js';
import { partition, trim, upper } from './text.js';

const MECARD_DETAILS = new Map([
  ['TEL', 'Phone'],
  ['EMAIL', 'Email'],
  ['URL', 'URL'],
  ['NOTE', 'Note'],
  ['ADR', 'Address'],
  ['NICKNAME', 'Nickname'],
  ['BDAY', 'Birthday'],
]);

// MECARD:N:Last,First;TEL:...;EMAIL:...;ORG:...;; with repeatable TEL, EMAIL, URL, ADR.
export function readMecard(rest) {
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
export function readBizcard(rest) {
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
