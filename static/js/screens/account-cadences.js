// Account's "Keep in touch": a cadence for each of my tags (from my contacts), saved on the
// server (PUT /me/cadences) and cached for the Reconnect list; offline the choices wait.
import {
  CADENCES,
  cachedCadences,
  everyInWords,
  freshCadences,
  saveCadences,
} from '../cadences.js';
import { $, h, notify } from '../dom.js';
import { soon } from '../scheduler.js';
import { list } from '../store.js';

let cadences = {};

// My tags, from my contacts and from the cadences already set, in alphabetical order.
async function myTags() {
  const tags = new Set(Object.keys(cadences));
  for (const contact of await list('contact'))
    for (const tag of contact.tags || []) tags.add(tag);
  return [...tags].sort((a, b) => a.localeCompare(b));
}

// "None", "2 weeks" … "1 year", and a cadence set elsewhere ("10 days") as it is.
function choices(current) {
  const known = CADENCES.some(([days]) => days === current);
  return [
    h('option', { value: '' }, 'None'),
    ...CADENCES.map(([days, label]) => h('option', { value: days }, label)),
    current && !known
      ? h(
          'option',
          { value: current },
          current === 1 ? 'Daily' : `${current} days`,
        )
      : null,
  ];
}

function row(tag, offline) {
  const select = h(
    'select',
    { name: tag, disabled: offline, onchange: () => choose(tag, select) },
    choices(cadences[tag]),
  );
  select.value = cadences[tag] ? String(cadences[tag]) : '';
  return h('label', { class: 'cadence' }, h('bdi', {}, tag), select);
}

async function choose(tag, select) {
  const next = { ...cadences };
  if (select.value) next[tag] = Number(select.value);
  else delete next[tag];
  try {
    cadences = await saveCadences(next);
    soon(0); // the keep-in-touches the server planned for the change
    notify(
      cadences[tag]
        ? `Saved: keep in touch with ${tag} ${everyInWords(cadences[tag])}.`
        : `Saved: no cadence for ${tag}.`,
      { id: 'cadences' },
    );
  } catch (error) {
    select.value = cadences[tag] ? String(cadences[tag]) : '';
    notify(
      error.status
        ? `The cadence was not saved: ${error.message}`
        : 'You are offline: the cadence was not saved. Try again when you are back online.',
      { id: 'cadences', error: true },
    );
  }
}

async function draw() {
  const offline = !navigator.onLine;
  const tags = await myTags();
  $('#cadences-offline').hidden = !offline || !tags.length;
  $('#cadences-empty').hidden = tags.length > 0;
  $('#cadence-list').replaceChildren(...tags.map((tag) => row(tag, offline)));
}

export async function showCadences() {
  cadences = await cachedCadences();
  await draw();
  if (!navigator.onLine) return;
  const fresh = await freshCadences();
  if (JSON.stringify(fresh) === JSON.stringify(cadences)) return;
  cadences = fresh;
  if (!$('#cadence-list').contains(document.activeElement)) await draw();
}
