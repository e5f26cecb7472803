// What sync could not settle alone: the same field edited on two devices, a change the server refused.
import { $, h } from './dom.js';
import { get, issues, newId, resolveIssue, save } from './store.js';

// What the server writes itself: never sent back when a copy is restored.
const SERVER_FIELDS = [
  'id',
  'version',
  'deleted',
  'created_at',
  'updated_at',
  'photo_at',
  'join_code',
  'role',
  'reminder_status',
  'reminded_at',
  'reminder_error',
];

function writable(record) {
  return Object.fromEntries(
    Object.entries(record || {}).filter(
      ([name, value]) =>
        !SERVER_FIELDS.includes(name) && value !== null && value !== undefined,
    ),
  );
}

function show(value) {
  if (value === null || value === undefined || value === '') return '(empty)';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export async function showIssues() {
  const open = (await issues()).filter((issue) => !issue.resolved_at);
  const items = [];
  for (const issue of open) items.push(await render(issue));
  $('#issue-list').replaceChildren(...items);
  $('#issues').hidden = items.length === 0;
}

async function render(issue) {
  const record = await get(issue.kind, issue.id);
  const name = record?.name || issue.mine?.name || `this ${issue.kind}`;
  const done = () => resolveIssue(issue.key);
  if (issue.type === 'conflict') {
    return h(
      'li',
      {},
      h(
        'p',
        {},
        `${name}: “${issue.field.replace(/_/g, ' ')}” was changed on two devices.`,
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            await save(issue.kind, issue.id, { [issue.field]: issue.mine });
            await done();
          },
        },
        `Keep this device’s: ${show(issue.mine)}`,
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: done },
        `Keep the other: ${show(issue.theirs)}`,
      ),
    );
  }
  if (issue.type === 'deleted') {
    const fields = writable(issue.mine);
    return h(
      'li',
      {},
      h(
        'p',
        {},
        `${name} was deleted on another device after you edited it here.`,
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            await save(issue.kind, newId(), fields);
            await done();
          },
        },
        'Restore my copy',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: done },
        'Let it go',
      ),
    );
  }
  if (issue.type === 'kept') {
    return h(
      'li',
      {},
      h(
        'p',
        {},
        `${name} was edited on another device, so it was not deleted.`,
      ),
      h('button', { type: 'button', class: 'secondary', onclick: done }, 'OK'),
    );
  }
  return h(
    'li',
    {},
    h(
      'p',
      {},
      `The server did not take a change to ${name}: ${issue.error?.message || 'unknown reason'}`,
    ),
    h(
      'button',
      { type: 'button', class: 'secondary', onclick: done },
      'Dismiss (kept in Download my data)',
    ),
  );
}
