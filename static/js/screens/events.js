// Events I attend: my own (made offline, through the store) and those I joined with a code.
import { ApiError, request } from '../api.js';
import { $, h, joined, notify } from '../dom.js';
import { forget, get, list } from '../store.js';
import { when } from '../words.js';
import { bindEvent, keepServerCopy, showEvent } from './event.js';

const REFRESH_MS = 30_000;
let refreshedAt = 0;

function dates(event) {
  if (!event.starts_on) return 'no date yet';
  const ends = event.ends_on && event.ends_on !== event.starts_on;
  return ends
    ? `${when(event.starts_on)} – ${when(event.ends_on)}`
    : when(event.starts_on);
}

export async function showEvents(id) {
  if (id) {
    const shown = await showEvent(id);
    if (shown) return shown;
    notify('That event is not on this device.', { id: 'missing' });
  }
  await renderEvents();
  refreshEvents();
  return 'events';
}

async function renderEvents() {
  const events = (await list('event')).sort(
    (a, b) =>
      (b.starts_on || '').localeCompare(a.starts_on || '') ||
      (a.name || '').localeCompare(b.name || ''),
  );
  $('#event-list').replaceChildren(
    ...events.map((event) =>
      h(
        'li',
        {},
        h(
          'span',
          { class: 'who' },
          h(
            'a',
            { href: `/events/${event.id}` },
            event.name || 'Unnamed event',
          ),
          h(
            'span',
            { class: 'muted' },
            joined(
              [
                dates(event),
                event.location,
                event.role === 'member' && 'joined',
              ],
              ' · ',
            ),
          ),
        ),
      ),
    ),
  );
  $('[data-screen="events"] [data-empty]').hidden = events.length > 0;
}

// Online: the events I joined (also on a new device) and my join codes; joined events since deleted go.
async function refreshEvents() {
  if (Date.now() - refreshedAt < REFRESH_MS) return;
  refreshedAt = Date.now();
  let answer;
  try {
    answer = await request('GET', '/events?limit=200');
  } catch {
    return; // offline: the device's copy is what there is
  }
  const local = new Map((await list('event')).map((e) => [e.id, e]));
  for (const event of answer.items)
    await keepServerCopy(event, local.get(event.id));
  if (answer.has_more) return;
  const listed = new Set(answer.items.map((event) => event.id));
  for (const event of local.values())
    if (event.role === 'member' && !listed.has(event.id))
      await forget('event', event.id);
}

async function join(event, navigate) {
  event.preventDefault();
  const joinForm = $('#join-form');
  const errorLine = joinForm.querySelector('[data-error]');
  const code = joinForm.elements.code.value.trim();
  if (!code) {
    errorLine.textContent = 'Join code: type the code the organiser shared.';
    return;
  }
  try {
    const joined = await request('POST', '/events/join', { code });
    await keepServerCopy(joined, await get('event', joined.id));
    joinForm.reset();
    errorLine.textContent = '';
    navigate(`/events/${joined.id}`);
  } catch (error) {
    errorLine.textContent =
      error instanceof ApiError && error.status !== 503
        ? error.message
        : 'Joining an event needs the network: try again when you are online.';
  }
}

export function bindEvents(navigate) {
  $('#join-form').addEventListener('submit', (event) => join(event, navigate));
  bindEvent(navigate);
}
