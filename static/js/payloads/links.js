// Payloads that are links: http(s) (a Hallway card link among them), URLTO:, tel: and mailto:.

import { DOMAIN, LOOSE_LINK, Card, webUrl } from './card.js';
import { percentDecode } from './decoding.js';
import { DIGIT, LIMITS, SPACE, cleanLine, full, lower, trim } from './text.js';

// A link without its scheme as a whole payload: www.example.com or example.com/path.
export const BARE_LINK = full(
  `[Ww]{3}\\.${DOMAIN}(?:[/?#][^${SPACE}]*)?|${DOMAIN}/[^${SPACE}]*`,
);
// A Hallway public card link, on any server: /c/<token>.
const HALLWAY_CARD = full(
  `[A-Za-z]+://[^/?#]+/c/([A-Za-z0-9_-]{1,64})/?(?:[?#][^${SPACE}]*)?`,
);

// A Hallway card link or another http(s) link; `bare` says what may stand without a scheme.
export function link(text, bare) {
  const url = webUrl(text, bare);
  if (!url) return null;
  const card = HALLWAY_CARD.exec(url);
  if (card) return { format: 'hallway', contact: { url }, token: card[1] };
  return { format: 'url', contact: { url } };
}

export function readUrlto(rest) {
  return link(trim(rest), LOOSE_LINK);
}

export function readTel(rest) {
  const phone = cleanLine(telNumber(percentDecode(rest)), LIMITS.phone);
  return DIGIT.test(phone) ? { format: 'tel', contact: { phone } } : null;
}

export function readMailto(rest) {
  const card = new Card();
  for (const address of percentDecode(rest.split('?')[0]).split(','))
    card.add('Email', address);
  const result = card.result('email');
  return 'email' in result.contact ? result : null;
}

// The number of a tel: URI (tel:+1-555-0100;ext=12 -> +1-555-0100 ext. 12).
export function telNumber(value) {
  value = trim(value);
  if (lower(value.slice(0, 4)) === 'tel:') value = value.slice(4);
  const [number, ...params] = value.split(';').map(trim);
  const ext = params.find((p) => lower(p.slice(0, 4)) === 'ext=');
  return (
    trim(number) +
    (ext && trim(ext.slice(4)) ? ` ext. ${trim(ext.slice(4))}` : '')
  );
}
