// "Suggested for you": whom to meet at an event for my own goals (the server ranks them). The
// last answer per event is kept on this device, so the list shows offline too, said to be old;
// people on my research list or dismissed here are left out at once, before the server knows.
import { request } from './api.js';
import { getMeta, setMeta } from './localdb.js';
import { h, joined, notify } from './dom.js';
import { list, newId, remove, save } from './store.js';
import { uuid5 } from './uuid5.js';

const LIMIT = 20;
// The namespace of dismissal ids, as the server's (pwa/suggestions/kinds.py DISMISSALS).
const DISMISSALS = '5f0c9a53-8d1e-4a55-9a38-8f2b0c6d1e17';
const cacheKey = (eventId) => `suggestions:${eventId}`;

// The server's answer, or the one kept from the last time online ({answer, at, cached}).
async function fetchSuggestions(eventId) {
  try {
    const answer = await request(
      'GET',
      `/events/${eventId}/suggestions?limit=${LIMIT}`,
    );
    const at = new Date().toISOString();
    await setMeta(cacheKey(eventId), { answer, at });
    return { answer, at, cached: false };
  } catch {
    const kept = await getMeta(cacheKey(eventId));
    return kept ? { ...kept, cached: true } : null;
  }
}

// Attendee ids already on my list or dismissed at this event, from the local store.
async function leftOut(eventId) {
  const targets = await list('target');
  const dismissals = await list('dismissal');
  return new Set(
    [...targets, ...dismissals]
      .filter((record) => record.attendee_id && record.event_id === eventId)
      .map((record) => record.attendee_id),
  );
}

function when(at) {
  return new Date(at).toLocaleString([], {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

// Fill `box` (a section with [data-suggestions-line] and a list) with event's suggestions;
// onEventPage: the goals are on this page (a jump to them, not a link); changed: after an add.
export async function showSuggestions(box, event, options = {}) {
  box.dataset.eventId = event.id;
  const got = await fetchSuggestions(event.id);
  if (box.dataset.eventId !== event.id) return; // another event on show by now
  await render(box, event, got, options);
}

// Show an answer, less whom I added or dismissed since (an add or an Undo filters it again:
// the server may not have heard of either yet).
async function render(box, event, got, options) {
  const { onEventPage = false, changed = () => {} } = options;
  const line = box.querySelector('[data-suggestions-line]');
  const listing = box.querySelector('ul');
  const skip = await leftOut(event.id);
  if (box.dataset.eventId !== event.id) return;
  const rerender = () => {
    changed();
    return render(box, event, got, options);
  };
  if (!got) {
    listing.replaceChildren();
    line.replaceChildren(
      'Suggestions need the network once; they show here offline after that.',
    );
    return;
  }
  const items = got.answer.items.filter((item) => !skip.has(item.attendee_id));
  listing.replaceChildren(
    ...items.map((item) => suggestionItem(item, event, rerender)),
  );
  const parts = [];
  if (got.cached) parts.push(`From the last time online, ${when(got.at)}. `);
  if (got.answer.message && !items.length)
    parts.push(
      h('bdi', {}, got.answer.message),
      ' ',
      onEventPage
        ? h(
            'button',
            { type: 'button', class: 'link', 'data-jump': 'goals-box' },
            'Go to my goals',
          )
        : h(
            'a',
            { href: `/events/${event.id}`, class: 'tap-link' },
            'Set my goals for this event',
          ),
    );
  else if (!items.length) parts.push('No more suggestions for now.');
  line.replaceChildren(...parts);
}

// The reason less who they are, which the line above it says already ("Matches your goal
// '...': Partner at Seedcamp, I invest..." shows as "...: I invest..."); the research target's
// why keeps it whole.
function reasonShown(item) {
  const { reason, title, company } = item;
  const who = title && company ? `${title} at ${company}` : title || company;
  if (!who) return reason;
  if (reason.includes(`: ${who}, `)) return reason.replace(`: ${who}, `, ': ');
  return reason.endsWith(`: ${who}`)
    ? reason.slice(0, -who.length - 2)
    : reason;
}

function suggestionItem(item, event, rerender) {
  const about = joined([item.title, item.company], ', ');
  const label = `suggestion-${item.attendee_id}`;
  return h(
    'li',
    { class: 'suggestion' },
    h('strong', { id: label }, h('bdi', {}, item.name)),
    about.length ? h('div', { class: 'muted' }, ...about) : null,
    item.reason
      ? h('p', { class: 'reason' }, h('bdi', {}, reasonShown(item)))
      : null,
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-describedby': label,
          onclick: () => addToList(item, event, rerender),
        },
        'Add to my list',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          'aria-describedby': label,
          onclick: () => dismiss(item, event, rerender),
        },
        'Not for me',
      ),
    ),
  );
}

async function addToList(item, event, rerender) {
  const id = newId();
  await save('target', id, {
    event_id: event.id,
    attendee_id: item.attendee_id,
    name: item.name,
    company: item.company,
    title: item.title,
    why: item.reason,
    priority: 3,
    status: 'to_meet',
  });
  notify(`Added ${item.name} to your list.`, {
    id: 'suggestion',
    action: 'Undo',
    onAction: async () => {
      await remove('target', id);
      rerender();
    },
  });
  rerender();
}

// The id the server gives my dismissal of this person here (uuid5 of user, event and
// attendee), so dismissing on two devices makes one record, and dismissing again after an
// Undo brings that record back (the server revives a deleted dismissal that is sent again).
async function dismissalId(eventId, attendeeId) {
  const user = await getMeta('user');
  if (!user) return newId();
  return uuid5(DISMISSALS, `${user.id}:${eventId}:${attendeeId}`);
}

async function dismiss(item, event, rerender) {
  const id = await dismissalId(event.id, item.attendee_id);
  await save('dismissal', id, {
    event_id: event.id,
    attendee_id: item.attendee_id,
  });
  notify(`${item.name} won't be suggested again.`, {
    id: 'suggestion',
    action: 'Undo',
    onAction: async () => {
      await remove('dismissal', id);
      rerender();
    },
  });
  rerender();
}
