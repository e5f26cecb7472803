// An event's attendee directory (online): search it, put people on my research list.
import { request } from '../api.js';
import { $, h, joined } from '../dom.js';
import { list, newId, save } from '../store.js';

const PAGE = 50;
const TYPING_MS = 250;
const BIO_LENGTH = 160;
let event = null;
let cursor = null; // where the next page starts (the last answer's next_cursor)
let shown = 0;
let asked = 0; // the latest request: answers to earlier searches are dropped
let timer = null;

export function showDirectory(shown) {
  event = shown;
  $('#attendee-search').value = '';
  return loadAttendees();
}

export function reloadDirectory() {
  return loadAttendees();
}

async function loadAttendees({ more = false } = {}) {
  const q = $('#attendee-search').value.trim();
  const message = $('#directory-message');
  const mine = (asked += 1);
  if (!more) [cursor, shown] = [null, 0];
  const query = new URLSearchParams({ q, limit: PAGE });
  if (cursor) query.set('cursor', cursor);
  let page;
  try {
    page = await request('GET', `/events/${event.id}/attendees?${query}`);
  } catch (error) {
    if (mine !== asked) return;
    $('#attendee-list').replaceChildren();
    $('#attendee-more').hidden = true;
    message.textContent =
      error.status === 404
        ? 'The directory shows here once this event has synced.'
        : 'The directory needs the network; your research list works offline.';
    return;
  }
  const targets = new Map(
    (await list('target'))
      .filter((target) => target.attendee_id)
      .map((target) => [target.attendee_id, target]),
  );
  if (mine !== asked) return;
  const items = page.items.map((a) => attendeeItem(a, targets.get(a.id)));
  if (more) $('#attendee-list').append(...items);
  else $('#attendee-list').replaceChildren(...items);
  cursor = page.next_cursor;
  shown += page.items.length;
  $('#attendee-more').hidden = !page.has_more;
  if (shown === 0)
    message.textContent = q
      ? `No one in the directory matches “${q}”.`
      : 'No one in the directory yet.';
  else
    message.textContent = `${page.has_more ? 'The first ' : ''}${shown} ${shown === 1 ? 'person' : 'people'}`;
}

function onMyList(target) {
  return h(
    'span',
    {},
    'On my list · ',
    h('a', { href: `/research/${target.id}/prep` }, 'Meeting prep'),
  );
}

function attendeeItem(attendee, target) {
  const about = joined([attendee.title, attendee.company], ', ');
  const bio =
    attendee.bio && attendee.bio.length > BIO_LENGTH
      ? [h('bdi', {}, attendee.bio.slice(0, BIO_LENGTH)), '…']
      : attendee.bio;
  const action = target
    ? onMyList(target)
    : h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: (click) => addTarget(attendee, click.currentTarget),
        },
        'Add to my research list',
      );
  return h(
    'li',
    {},
    h('strong', {}, attendee.name),
    about.length ? h('span', { class: 'muted' }, about) : null,
    bio ? h('p', { class: 'muted' }, bio) : null,
    h('div', {}, action),
  );
}

async function addTarget(attendee, button) {
  const target = await save('target', newId(), {
    event_id: event.id,
    attendee_id: attendee.id,
    name: attendee.name,
    company: attendee.company,
    title: attendee.title,
    priority: 3,
    status: 'to_meet',
  });
  button.replaceWith(onMyList(target));
}

export function bindDirectory() {
  $('#attendee-search').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(loadAttendees, TYPING_MS);
  });
  $('#attendee-more').addEventListener('click', () =>
    loadAttendees({ more: true }),
  );
}
