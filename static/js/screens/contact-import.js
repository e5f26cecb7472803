// Importing contacts from a file, from People (online): pick a file, see what it would change
// (new, update, duplicate, broken), map columns for a CSV of no known program, then import.
import { $, h } from '../dom.js';
import { columnWord, mappingMenus, readMapping } from '../mapping.js';
import { soon } from '../scheduler.js';
import { uploadFile } from '../uploads.js';

const IMPORT_URL = '/api/v1/import/contacts';
const FORMATS = {
  vcard: 'vCard',
  linkedin: 'LinkedIn connections',
  google: 'Google Contacts',
  outlook: 'Outlook contacts',
  hallway_csv: 'Hallway CSV',
  hallway_json: 'Hallway export',
  csv: 'CSV',
};
// The mapping step's names for the contact fields the server lists (others: their own name).
const FIELDS = { email: 'Email', url: 'Web address' };
const ACTIONS = {
  new: 'New',
  update: 'Update',
  duplicate: 'Already here',
  broken: 'Broken',
};
// How many entries the dialog lists (the server sends up to 1,000; the counts cover all).
const SHOWN = 200;
const OFFLINE =
  'Importing needs a connection to the server: try again when you are online.';

let file = null;
let mapping = null; // {field: header or [headers]} for a CSV of no known program
let asked = {}; // the server's mapping_required answer: what the file has

const dialog = () => $('#contact-import');
const say = (text) => {
  $('#contact-import-message').textContent = text;
};

export function openContactImport() {
  file = null;
  mapping = null;
  $('#contact-import-file').value = '';
  $('#contact-import-mapping').hidden = true;
  $('#contact-import-answer').hidden = true;
  $('#contact-import-progress').hidden = true;
  $('#contact-import-apply').hidden = true;
  $('#contact-import-hint').hidden = false;
  $('#contact-import-close').textContent = 'Close';
  say(navigator.onLine ? '' : OFFLINE);
  dialog().showModal();
}

function upload(preview) {
  const body = new FormData();
  body.append('file', file);
  if (mapping) body.append('mapping', JSON.stringify(mapping));
  const url = preview ? `${IMPORT_URL}?preview=1` : IMPORT_URL;
  return uploadFile(url, body, $('#contact-import-progress'));
}

async function send(preview) {
  if (!navigator.onLine) {
    say(OFFLINE);
    return;
  }
  say(`${preview ? 'Reading' : 'Importing'} ${file.name}…`);
  const apply = $('#contact-import-apply');
  apply.disabled = true;
  $('#contact-import-file').disabled = true;
  let status, answer;
  try {
    ({ status, answer } = await upload(preview));
  } catch {
    answer = null;
  } finally {
    $('#contact-import-file').disabled = false;
  }
  if (!answer || status !== 200) $('#contact-import-progress').hidden = true;
  if (!answer) {
    say(
      navigator.onLine
        ? 'The upload stopped before the server answered. Try again.'
        : OFFLINE,
    );
    apply.disabled = false;
    return;
  }
  if (status === 422 && answer.error === 'mapping_required') {
    showMapping(answer);
    return;
  }
  if (status !== 200) {
    say(
      answer.error === 'offline'
        ? OFFLINE
        : answer.message || `The import failed (${status}).`,
    );
    apply.disabled = false;
    return;
  }
  $('#contact-import-progress').hidden = preview; // full once imported
  showAnswer(answer);
  if (!preview) soon(0); // the people imported come down with the next sync
}

function showMapping(answer) {
  asked = answer;
  const word = columnWord(answer);
  say(
    `This file is from a program Hallway does not know. Which ${word} holds what?`,
  );
  $('#contact-mapping-title').textContent = `Which ${word} is what?`;
  $('#contact-mapping-submit').textContent = `Preview with these ${word}s`;
  $('#contact-mapping-fields').replaceChildren(...mappingMenus(answer, FIELDS));
  $('#contact-import-hint').hidden = true;
  $('#contact-import-mapping').hidden = false;
  $('#contact-import-answer').hidden = true;
  $('#contact-import-apply').hidden = true;
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// skipped: the entries that cannot be imported (broken), each also in errors.
function counts(answer) {
  const preview = answer.preview;
  return [
    [answer.imported, 'new', 'new'],
    [answer.updated, 'to update', 'updated'],
    [answer.duplicates, 'already here', 'already here'],
    [answer.skipped, 'broken', 'broken'],
  ].map(([n, before, after]) =>
    h('li', {}, h('strong', {}, String(n)), ` ${preview ? before : after}`),
  );
}

function detail(entry) {
  if (entry.action === 'update' && entry.fields?.length)
    return `Updates ${entry.fields.map((f) => f.replace(/_/g, ' ')).join(', ')}`;
  if (entry.action === 'broken')
    return `${entry.line ? `Line ${entry.line}: ` : ''}${entry.reason || 'Cannot be read.'}`;
  return '';
}

function entryRow(entry) {
  const text = detail(entry);
  return h(
    'li',
    { class: entry.action },
    h(
      'span',
      { class: 'who' },
      h('span', {}, entry.name ? h('bdi', {}, entry.name) : 'No name'),
      text ? h('span', { class: 'muted' }, h('bdi', {}, text)) : null,
    ),
    h(
      'span',
      { class: `badge ${entry.action}` },
      ACTIONS[entry.action] || entry.action,
    ),
  );
}

function showAnswer(answer) {
  const preview = answer.preview;
  const format = FORMATS[answer.format] || answer.format;
  const total =
    answer.imported + answer.updated + answer.duplicates + answer.skipped;
  say(
    preview
      ? `${format}: ${plural(total, 'entry', 'entries')}. Nothing is saved until you import.`
      : `Imported from ${format}.`,
  );
  $('#contact-import-counts').replaceChildren(...counts(answer));
  const entries = answer.entries || [];
  $('#contact-import-entries').replaceChildren(
    ...entries.slice(0, SHOWN).map(entryRow),
  );
  const more = total - Math.min(entries.length, SHOWN);
  const whole = (answer.errors || []).filter((e) => !e.line && !e.item);
  $('#contact-import-more').textContent = [
    more > 0 && `and ${plural(more, 'more entry', 'more entries')}`,
    ...whole.map((e) => e.reason),
  ]
    .filter(Boolean)
    .join(' ');
  $('#contact-import-mapping').hidden = true;
  $('#contact-import-hint').hidden = true;
  $('#contact-import-answer').hidden = false;
  const apply = $('#contact-import-apply');
  const changes = answer.imported + answer.updated;
  apply.hidden = !preview;
  apply.disabled = changes === 0;
  apply.textContent = `Import ${plural(changes, 'contact', 'contacts')}`;
  $('#contact-import-close').textContent = preview ? 'Cancel' : 'Done';
}

export function bindContactImport() {
  $('#contact-import-open').addEventListener('click', openContactImport);
  $('#contact-import-close').addEventListener('click', () => dialog().close());
  $('#contact-import-file').addEventListener('change', async (change) => {
    file = change.currentTarget.files[0] || null;
    mapping = null;
    $('#contact-import-mapping').hidden = true;
    $('#contact-import-answer').hidden = true;
    $('#contact-import-apply').hidden = true;
    if (file) await send(true);
  });
  $('#contact-import-mapping').addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const chosen = readMapping(submit.currentTarget, asked.fields || []);
    if ((asked.fields || []).includes('name') && !chosen.name) {
      const word = columnWord(asked);
      say(`Name ${word}: pick the ${word} that holds the names.`);
      return;
    }
    mapping = chosen;
    await send(true);
  });
  $('#contact-import-apply').addEventListener('click', () => send(false));
}
