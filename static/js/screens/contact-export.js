// Exporting contacts from People: plain download links to the server's exports, for everyone
// or for the people the list shows now (its event, tag and search; the follow-up filter aside).
import { $, joined } from '../dom.js';
import { everyone, search } from '../people-index.js';
import { leaving } from '../undo.js';

const LINKS = {
  '#export-vcf': '/api/v1/export/contacts.vcf',
  '#export-vcf4': '/api/v1/export/contacts.vcf?version=4.0',
  '#export-csv': '/api/v1/export/contacts.csv',
};
const OFFLINE =
  'Exports come from the server: connect to the network to download them.';

// The list's own filters, as GET /api/v1/contacts (and the exports) take them.
function listFilter() {
  const event = $('#people-event');
  return {
    q: $('#people-search').value.trim(),
    eventId: event.value,
    eventName: event.selectedOptions[0]?.textContent,
    tag: $('#people-tag').value,
  };
}

function withFilter(href, { q, eventId, tag }) {
  const url = new URL(href, location.origin);
  if (eventId) url.searchParams.set('event_id', eventId);
  if (tag) url.searchParams.set('tag', tag);
  if (q) url.searchParams.set('q', q);
  return url.pathname + url.search;
}

// "PyCon · tagged investor · “ada”", each part in its own <bdi>.
const describe = ({ q, eventId, eventName, tag }) =>
  joined([eventId && eventName, tag && `tagged ${tag}`, q && `“${q}”`], ' · ');

const people = (n) => `${n} ${n === 1 ? 'person' : 'people'}`;

function setLinks() {
  const shown = $('#contact-export-whom [value="shown"]').checked;
  const filter = shown ? listFilter() : {};
  for (const [id, href] of Object.entries(LINKS))
    $(id).setAttribute('href', withFilter(href, filter));
  $('#export-json-hint').textContent = shown
    ? 'Your whole account, not only those shown, to import into Hallway again'
    : 'Your whole account, to import into Hallway again';
}

export async function openContactExport() {
  const entries = (await everyone()).filter((e) => !leaving.has(e.person.id));
  const filter = listFilter();
  const filtered = Boolean(filter.q || filter.eventId || filter.tag);
  const whom = $('#contact-export-whom');
  $('#contact-export-all').textContent = `Everyone (${people(entries.length)})`;
  if (filtered) {
    const shown = search(entries, filter.q).filter(
      ({ person }) =>
        (!filter.eventId || person.event_id === filter.eventId) &&
        (!filter.tag || (person.tags || []).includes(filter.tag)),
    ).length;
    $('#contact-export-shown').replaceChildren(
      'Only ',
      ...describe(filter),
      ` (${people(shown)})`,
    );
  }
  whom.hidden = !filtered;
  whom.querySelector(`[value="${filtered ? 'shown' : 'all'}"]`).checked = true;
  setLinks();
  $('#contact-export-message').textContent = navigator.onLine ? '' : OFFLINE;
  $('#contact-export').showModal();
}

export function bindContactExport() {
  $('#contact-export-open').addEventListener('click', openContactExport);
  $('#contact-export-whom').addEventListener('change', setLinks);
  $('#contact-export').addEventListener('click', (click) => {
    if (!click.target.closest('.downloads a') || navigator.onLine) return;
    click.preventDefault();
    $('#contact-export-message').textContent = OFFLINE;
  });
}
