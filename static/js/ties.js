// How I know someone, in the words the edit form and the person page share: how well (trust),
// who introduced us, how often to keep in touch, and when we were last in touch.
import { h } from './dom.js';
import { ago } from './words.js';

// The edit form's "How well I know them" choices, in order (contact field `trust`).
export const TRUST = {
  met_once: 'Met once',
  talked: 'Talked',
  worked_together: 'Worked together',
  would_vouch: 'Would vouch',
};

// The edit form's "Keep in touch every" choices (contact field `cadence_days`).
export const CADENCES = {
  14: '2 weeks',
  30: '1 month',
  42: '6 weeks',
  91: '3 months',
  182: '6 months',
  365: '1 year',
};

export function cadenceWords(days) {
  if (!days) return '';
  return CADENCES[days] || `${days} days`;
}

// "Last in touch 3 days ago": the last touch the server saw, else when we met.
export function lastTouch(contact, now = new Date()) {
  const at = contact.last_touch_at || contact.met_at;
  return at ? `Last in touch ${ago(at, now)}` : '';
}

// How well I know them and who introduced us, for the person page and the introduce screen:
// [trust, 'Introduced by', <a>name</a>] parts (the introducer as a link to their page).
export function tieParts(contact, introducer) {
  const parts = [];
  if (TRUST[contact.trust])
    parts.push(
      h(
        'span',
        { class: 'trust' },
        h('span', { class: 'visually-hidden' }, 'How well I know them: '),
        TRUST[contact.trust],
      ),
    );
  if (introducer)
    parts.push(
      h(
        'span',
        {},
        'Introduced by ',
        h(
          'a',
          { href: `/people/${introducer.id}` },
          h('bdi', {}, introducer.name),
        ),
      ),
    );
  return parts;
}
