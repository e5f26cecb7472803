// Filling an event's directory from a file (its owner, online): preview, map columns, import.
import { $, h, joined } from '../dom.js';
import { columnWord, mappingMenus, readMapping } from '../mapping.js';
import { uploadFile } from '../uploads.js';
import { reloadDirectory } from './directory.js';

const FIELDS = {
  name: 'Name',
  company: 'Company',
  title: 'Title',
  email: 'Email',
  badge_id: 'Badge id',
  bio: 'Bio',
  links: 'Links',
};
const FORMATS = {
  eventbrite: 'Eventbrite attendee report',
  sessionize: 'Sessionize speakers',
  pretalx: 'pretalx speakers',
  csv: 'CSV',
  json: 'JSON',
};
let event = null;
let file = null;
let mapping = null; // {field: header or [headers]} for a file of no known program
let asked = {}; // the server's mapping_required answer: what the file has

export function showImport(shown, owner) {
  event = shown;
  file = null;
  mapping = null;
  $('#event-import').hidden = !owner;
  $('#import-file').value = '';
  $('#import-mapping').hidden = true;
  $('#import-answer').hidden = true;
  $('#import-progress').hidden = true;
  $('#import-message').textContent = '';
}

function upload(preview) {
  const body = new FormData();
  body.append('file', file);
  if (mapping) body.append('mapping', JSON.stringify(mapping));
  if (preview) body.append('preview', '1');
  const url = `/api/v1/events/${event.id}/attendees/import`;
  return uploadFile(url, body, $('#import-progress'));
}

async function send(preview) {
  const message = $('#import-message');
  message.textContent = `${preview ? 'Reading' : 'Importing'} ${file.name}…`;
  $('#import-apply').disabled = true;
  let status, answer;
  try {
    ({ status, answer } = await upload(preview));
  } catch {
    $('#import-progress').hidden = true;
    message.textContent = navigator.onLine
      ? 'The upload stopped before the server answered. Try again; files can be up to 50 MB.'
      : 'Importing needs the network: try again when you are online.';
    return;
  }
  if (status === 422 && answer.error === 'mapping_required') {
    $('#import-progress').hidden = true;
    message.textContent = `Which ${columnWord(answer)} holds what? Pick them, then preview.`;
    showMapping(answer);
    return;
  }
  if (status !== 200) {
    $('#import-progress').hidden = true;
    message.textContent =
      status === 404
        ? 'This event is not on the server yet: import once it has synced.'
        : answer.message || `The import failed (${status}).`;
    return;
  }
  message.textContent = '';
  showAnswer(answer, preview);
  if (!preview) reloadDirectory();
}

function showMapping(answer) {
  asked = answer;
  const word = columnWord(answer);
  $('#mapping-title').textContent = `Which ${word} is what?`;
  $('#mapping-submit').textContent = `Preview with these ${word}s`;
  $('#mapping-fields').replaceChildren(...mappingMenus(answer, FIELDS));
  $('#import-mapping').hidden = false;
  $('#import-answer').hidden = true;
}

function problemText(problem) {
  const item = problem.item ? ` (speaker ${problem.item})` : '';
  return `Line ${problem.line}${item}: ${problem.reason}`;
}

function rowParts(row) {
  const about = [row.name, row.title, row.company, row.email];
  const action = row.action === 'update' ? 'update' : 'new';
  return [`Line ${row.line} · ${action} · `, ...joined(about, ', ')];
}

function showAnswer(report, preview) {
  const people = report.imported + report.updated;
  const counts = `${report.imported} new, ${report.updated} ${preview ? 'to update' : 'updated'}, ${report.skipped} left out, ${report.error_count} with problems`;
  $('#import-summary').textContent = preview
    ? `${FORMATS[report.format] || report.format}: ${counts}.`
    : `Imported: ${counts}.`;
  $('#import-rows-title').textContent =
    people > report.preview.length
      ? `The first ${report.preview.length} of ${people}`
      : preview
        ? 'What will be imported'
        : 'What was imported';
  $('#import-rows').replaceChildren(
    ...report.preview.map((row) => h('li', {}, rowParts(row))),
  );
  const more = report.error_count - report.errors.length;
  $('#import-problems').replaceChildren(
    ...report.errors.map((problem) => h('li', {}, problemText(problem))),
    ...(more > 0 ? [h('li', {}, `and ${more} more`)] : []),
  );
  $('#import-problems-title').hidden = report.error_count === 0;
  $('#import-ignored').textContent = report.ignored_columns.length
    ? `Columns not imported: ${report.ignored_columns.join(', ')}.`
    : '';
  $('#import-apply').hidden = !preview;
  $('#import-apply').disabled = people === 0;
  $('#import-answer').hidden = false;
  if (preview) $('#import-progress').hidden = true;
}

export function bindImport() {
  $('#import-file').addEventListener('change', async (change) => {
    file = change.currentTarget.files[0] || null;
    mapping = null;
    $('#import-mapping').hidden = true;
    $('#import-answer').hidden = true;
    if (file) await send(true);
  });
  $('#import-mapping').addEventListener('submit', async (submit) => {
    submit.preventDefault();
    const chosen = readMapping(submit.currentTarget, Object.keys(FIELDS));
    if (!chosen.name) {
      const word = columnWord(asked);
      $('#import-message').textContent =
        `Name ${word}: pick the ${word} that holds the names.`;
      return;
    }
    mapping = chosen;
    $('#import-mapping').hidden = true;
    await send(true);
  });
  $('#import-apply').addEventListener('click', () => send(false));
}
