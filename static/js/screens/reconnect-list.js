// The Reconnect screen: people ranked by how overdue they are, from this device's records and the
// cached cadences (so it works offline); the cadences are refreshed when the server answers.
import { cachedCadences, everyInWords, freshCadences } from '../cadences.js';
import { $, h } from '../dom.js';
import { agoInWords, rankReconnect } from '../reconnect.js';
import { list } from '../store.js';

let refreshed = false; // the server's cadences, once per visit to the app

function row(item, now) {
  const overdue = item.overdue_ratio >= 1;
  return h(
    'li',
    { class: `reconnect${overdue ? ' overdue' : ''}` },
    h(
      'p',
      { class: 'reconnect-name' },
      h('a', { href: `/people/${item.contact_id}` }, item.name || 'Someone'),
      overdue ? h('span', { class: 'badge overdue' }, 'Overdue') : null,
    ),
    h(
      'p',
      { class: 'hint' },
      `Last in touch ${agoInWords(item.last_touch_at, now)}; ${everyInWords(item.cadence_days)}.`,
    ),
  );
}

function draw(contacts, cadences) {
  const now = new Date();
  const ranked = rankReconnect(contacts, cadences, now);
  $('#reconnect-list').replaceChildren(...ranked.map((item) => row(item, now)));
  $('[data-screen="reconnect"] [data-empty]').hidden = ranked.length > 0;
}

export async function showReconnect() {
  const contacts = await list('contact');
  const cached = await cachedCadences();
  draw(contacts, cached);
  if (refreshed || !navigator.onLine) return;
  refreshed = true;
  const fresh = await freshCadences();
  if (JSON.stringify(fresh) !== JSON.stringify(cached)) draw(contacts, fresh);
}
