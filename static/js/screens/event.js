// One event's page: its details and my goals (offline, through the store), its join code, its
// attendee directory and import, and the report once it has begun.
import { request } from '../api.js';
import { $, changedValues, fillForm, h, notify } from '../dom.js';
import { changes, keep, get, newId, save } from '../store.js';
import { showReport } from '../report.js';
import { bindDirectory, reloadDirectory, showDirectory } from './directory.js';
import { bindImport, showImport } from './attendee-import.js';
import { showSuggestions } from '../suggestions.js';

const form = () => $('#event-form');
let current = null; // the event on show, or null for a new one
let goals = []; // the goals on show, [{text, done}]
let goalsUnsynced = false; // my own event's goals changed here: suggestions follow after sync

export const isOwner = (event) => !event || event.role !== 'member';
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const formatCode = (code) => code.replace(/^(.{4})(.+)$/, '$1-$2');

function knownZone(zone) {
  try {
    return Boolean(new Intl.DateTimeFormat('en', { timeZone: zone }));
  } catch {
    return false; // RangeError: no such zone
  }
}

// My own events sync, and of them only the join code comes this way; joined ones are the server's
// copy (nothing of them is ever sent back). Writes only what differs, so re-renders settle.
export async function keepServerCopy(server, local) {
  const copy =
    isOwner(server) && local
      ? { id: server.id, role: server.role, join_code: server.join_code }
      : server;
  const differs =
    !local ||
    Object.entries(copy).some(
      ([name, value]) => JSON.stringify(local[name]) !== JSON.stringify(value),
    );
  if (differs) await keep('event', copy);
  return { ...(local || {}), ...copy };
}

async function refreshEvent(id) {
  let server;
  try {
    server = await request('GET', `/events/${id}`);
  } catch {
    return; // offline, or not on the server yet: the code comes after the next sync
  }
  const merged = await keepServerCopy(server, await get('event', id));
  if (current?.id === id) {
    current = merged;
    renderShare();
  }
}

// The event's page (or a new event's form); false when the event is not on this device.
export async function showEvent(id) {
  current = id === 'new' ? null : await get('event', id);
  if (id !== 'new' && !current) return false;
  const owner = isOwner(current);
  fillForm(form(), current || { timezone: localZone() });
  goals = structuredClone(current?.goals || []);
  renderGoals();
  $('[data-screen="event"] [data-title]').textContent = current
    ? current.name
    : 'New event';
  $('#event-fields').disabled = !owner;
  $('#goals-note').hidden = true;
  form().querySelector('[type="submit"]').hidden = !owner;
  $('#event-joined').hidden = owner;
  $('#event-page').hidden = !current;
  $('#event-jump').hidden = !current;
  $('#event-settings').hidden = !current;
  $('#event-report').hidden = !current;
  if (!current) {
    form().elements.name.focus();
    return 'event';
  }
  renderShare();
  showImport(current, owner);
  await showReport(current, { owner });
  showDirectory(current);
  refreshSuggestions();
  refreshEvent(current.id);
  return 'event';
}

function renderGoals() {
  $('#goal-list').replaceChildren(
    ...goals.map((goal, index) =>
      h(
        'li',
        {},
        h(
          'label',
          { class: 'inline' },
          h('input', {
            type: 'checkbox',
            checked: goal.done,
            onchange: (event) => checkGoal(index, event.currentTarget.checked),
          }),
          h('span', { id: `goal-${index}` }, goal.text),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'aria-describedby': `goal-${index}`,
            onclick: () => keepGoals(goals.filter((_, i) => i !== index)),
          },
          'Remove goal',
        ),
      ),
    ),
  );
}

function refreshSuggestions() {
  return showSuggestions($('#event-suggestions'), current, {
    onEventPage: true,
    changed: reloadDirectory, // someone added shows "On my list" there too
  });
}

// A member's own goals for a joined event live on the server only (a joined event is not a
// synced record): sent at once, online; offline they are put back, with a sentence saying so.
async function keepMemberGoals() {
  const note = $('#goals-note');
  try {
    const server = await request('PATCH', `/events/${current.id}`, { goals });
    current = await keepServerCopy(server, current);
    note.hidden = true;
  } catch (error) {
    goals = structuredClone(current.goals || []);
    renderGoals();
    note.textContent = error.status
      ? error.message
      : 'Your goals for a joined event save when you are online: try again then.';
    note.hidden = false;
    return;
  }
  refreshSuggestions();
}

// A goal checked, added or removed on a saved event is kept at once; a new event's wait for Save.
async function keepGoals(next, { rerender = true } = {}) {
  goals = next;
  if (rerender) renderGoals();
  if (!current) return;
  if (!isOwner(current)) return keepMemberGoals();
  current = await save('event', current.id, { goals });
  goalsUnsynced = true;
  await showReport(current);
}

function checkGoal(index, done) {
  const next = goals.map((goal, i) => (i === index ? { ...goal, done } : goal));
  return keepGoals(next, { rerender: false });
}

async function addGoal() {
  const input = $('#new-goal');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  await keepGoals([...goals, { text, done: false }]);
  if (!goals.some((goal) => goal.text === text)) input.value = text; // not kept: offline
  input.focus();
}

function renderShare() {
  const owner = isOwner(current);
  $('#event-share').hidden = !owner;
  if (!owner) return;
  const code = current.join_code;
  $('#join-code').textContent = code ? formatCode(code) : '';
  $('#join-code-line').hidden = !code;
  $('#join-code-pending').hidden = Boolean(code);
  $('#share-code').hidden = !code;
}

async function shareCode() {
  const code = current?.join_code;
  if (!code) return;
  const text = `Join “${current.name}” on Hallway with the code ${formatCode(code)}.`;
  const url = `${location.origin}/events`;
  try {
    if (navigator.share)
      await navigator.share({ title: current.name, text, url });
    else {
      await navigator.clipboard.writeText(`${text} ${url}`);
      notify('The join code is copied.', { id: 'share' });
    }
  } catch (error) {
    if (error.name !== 'AbortError')
      notify(`Share the code by hand: ${formatCode(code)}`, { id: 'share' });
  }
}

async function submit(event, navigate) {
  event.preventDefault();
  if (!isOwner(current)) return;
  const errorLine = form().querySelector('[data-error]');
  const typedGoal = $('#new-goal').value.trim(); // typed but not added: surely meant
  if (typedGoal) goals = [...goals, { text: typedGoal, done: false }];
  $('#new-goal').value = '';
  const fields = changedValues(form(), current || {});
  if (JSON.stringify(goals) !== JSON.stringify(current?.goals || []))
    fields.goals = goals;
  const value = (name) => (name in fields ? fields[name] : current?.[name]);
  if (!value('name')) {
    errorLine.textContent = 'Event name: which event is it?';
    form().elements.name.focus();
    return;
  }
  if (value('timezone') && !knownZone(value('timezone'))) {
    errorLine.textContent =
      'Time zone: pick one from the list, such as Europe/Berlin.';
    form().elements.timezone.focus();
    return;
  }
  if (value('starts_on') && value('ends_on') < value('starts_on')) {
    errorLine.textContent = 'The event must not end before it starts.';
    form().elements.ends_on.focus();
    return;
  }
  errorLine.textContent = '';
  const id = current?.id || newId();
  if (Object.keys(fields).length) await save('event', id, fields);
  notify(`Saved ${value('name')}.`, { id: 'saved' });
  navigate(`/events/${id}`);
}

export function bindEvent(navigate) {
  form().addEventListener('submit', (event) => submit(event, navigate));
  $('#add-goal').addEventListener('click', addGoal);
  $('#new-goal').addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault(); // Enter adds the goal; it does not save the event
    addGoal();
  });
  $('#share-code').addEventListener('click', shareCode);
  bindDirectory();
  bindImport();
  $('#timezones').replaceChildren(
    ...(Intl.supportedValuesOf?.('timeZone') || []).map((zone) =>
      h('option', { value: zone }),
    ),
  );
  // The join code arrives once the new event has reached the server.
  changes.addEventListener('change', (event) => {
    const onPage = current?.id && location.pathname === `/events/${current.id}`;
    if (event.detail.kind === 'sync' && goalsUnsynced && onPage) {
      goalsUnsynced = false;
      refreshSuggestions();
    }
    if (
      event.detail.kind === 'sync' &&
      current?.id &&
      isOwner(current) &&
      !current.join_code &&
      location.pathname === `/events/${current.id}`
    )
      refreshEvent(current.id);
  });
}
