// The research list: people to meet, by priority, and my homework on each.
import { $, changedValues, fillForm, h, joined, notify } from '../dom.js';
import { notifySaved } from '../undo.js';
import { currentEvent } from '../plans.js';
import { get, list, newId, save } from '../store.js';
import { showSuggestions } from '../suggestions.js';

const STATUS = { to_meet: 'to meet', met: 'met', skip: 'skip' };
const form = () => $('#target-form');
let editing = null;

// The form's event choices; a new target belongs to the event under way (or coming up).
async function fillEvents(selected) {
  const events = await list('event');
  const unknown = selected && !events.some((event) => event.id === selected);
  form().elements.event_id.replaceChildren(
    h('option', { value: '' }, 'No event'),
    ...events.map((event) => h('option', { value: event.id }, event.name)),
    unknown
      ? h('option', { value: selected }, 'An event not on this device')
      : null,
  );
  return events;
}

function matches(target, words) {
  const text = [target.name, target.company, target.title, target.why]
    .join(' ')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

// The list, or the form for someone new (/research/new) or on it (/research/<id>).
export async function showResearch(id) {
  editing = id && id !== 'new' ? await get('target', id) : null;
  const onForm = Boolean(id);
  const events = await fillEvents(editing?.event_id);
  fillForm(form(), editing || { event_id: currentEvent(events)?.id });
  $('#target-form [data-form-title]').textContent = editing
    ? `Edit ${editing.name}`
    : 'Someone to meet';
  $('[data-screen="research"] [data-title]').textContent = editing
    ? editing.name
    : onForm
      ? 'Someone to meet'
      : 'Research';
  for (const part of ['#target-list', '#research-tools', '#target-add'])
    $(part).hidden = onForm;
  form().hidden = !onForm;
  const event = onForm ? null : currentEvent(events);
  $('#research-suggestions').hidden = !event;
  if (onForm) {
    form().elements.name.focus({ preventScroll: true });
    return;
  }
  await renderTargets(events);
  if (event) renderSuggestions(event);
}

// Suggestions for the event under way (or coming up); an add shows on the list above at once.
function renderSuggestions(event) {
  const box = $('#research-suggestions');
  box.querySelector('[data-event-name]').textContent = event.name;
  return showSuggestions(box, event, {
    changed: async () => renderTargets(await list('event')),
  });
}

async function renderTargets(events) {
  const eventNames = new Map(events.map((event) => [event.id, event.name]));
  const words = $('#target-search').value.trim().toLowerCase().split(/\s+/);
  const targets = (await list('target'))
    .filter((t) => matches(t, words))
    .sort(
      (a, b) =>
        (a.priority ?? 3) - (b.priority ?? 3) ||
        (a.name || '').localeCompare(b.name || ''),
    );
  $('#target-list').replaceChildren(
    ...targets.map((target) =>
      h(
        'li',
        {},
        h(
          'span',
          { class: 'who' },
          h(
            'a',
            { href: `/research/${target.id}`, id: `target-${target.id}` },
            target.name,
          ),
          h(
            'span',
            { class: 'muted' },
            joined(
              [
                target.company,
                `priority ${target.priority ?? 3}`,
                STATUS[target.status] || 'to meet',
                eventNames.get(target.event_id),
              ],
              ' · ',
            ),
          ),
        ),
        h(
          'a',
          {
            href: `/research/${target.id}/prep`,
            class: 'button secondary',
            'aria-describedby': `target-${target.id}`,
          },
          'Meeting prep',
        ),
      ),
    ),
  );
  $('[data-screen="research"] [data-empty]').hidden = targets.length > 0;
}

export function bindTargetForm(navigate) {
  $('#target-search').addEventListener('input', async () =>
    renderTargets(await list('event')),
  );
  form().addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = changedValues(
      form(),
      editing || { priority: 3, status: 'to_meet' },
    );
    const name = editing ? (fields.name ?? editing.name) : fields.name;
    if (!name) {
      form().querySelector('[data-error]').textContent =
        'Name: whom do you want to meet?';
      return;
    }
    form().querySelector('[data-error]').textContent = '';
    if (editing) {
      if (Object.keys(fields).length) await save('target', editing.id, fields);
      notifySaved(name, 'target', editing, fields);
    } else {
      await save('target', newId(), {
        priority: 3,
        status: 'to_meet',
        ...fields,
      });
      notify(`Saved ${name}.`, { id: 'saved' });
    }
    navigate('/research');
  });
}
