// A person's page: their card to read and act on (call, email, save to the phone), the next
// follow-up, what each side promised, the history. Edit opens the capture form.
import { $, download, h, icon, notify } from '../dom.js';
import { vcard } from '../export.js';
import { getMeta } from '../localdb.js';
import { thankYouLink } from '../plans.js';
import { photoUrl } from '../photos.js';
import { get, list, newId, remove, save } from '../store.js';
import { dateTime, initials, when } from '../words.js';

let shown = null; // the contact on show
let next = null; // their next open follow-up
let leaving = null; // a delete waiting for its Undo to expire

const KIND = {
  thank_you: 'Say thank you',
  check_back: 'Check back',
  keep_in_touch: 'Keep in touch',
  custom: 'Follow up',
};
const LOGGED = {
  emailed: 'Emailed',
  called: 'Called',
  messaged: 'Messaged',
  note: 'Note',
  met: 'Met',
  scanned: 'Scanned their card',
};

export async function showPerson(id) {
  shown = await get('contact', id);
  if (!shown || leaving?.id === id) {
    notify('That person is not on this device.', {
      id: 'missing',
      error: true,
    });
    return false;
  }
  const event = shown.event_id ? await get('event', shown.event_id) : null;
  $('#person-name').textContent = shown.name;
  $('#person-role').textContent = [shown.title, shown.company]
    .filter(Boolean)
    .join(' at ');
  $('#person-met').textContent = [
    shown.met_at && `Met ${when(shown.met_at)}`,
    event?.name,
  ]
    .filter(Boolean)
    .join(' · ');
  $('#person-avatar').textContent = initials(shown.name);
  const photo = await photoUrl(shown.id);
  $('#person-photo').hidden = !photo;
  $('#person-avatar').hidden = Boolean(photo);
  if (photo) $('#person-photo').src = photo;
  $('#person-edit').href = `/people/${shown.id}/edit`;
  $('#person-actions').replaceChildren(...contactActions(shown));
  $('#person-facts').replaceChildren(...facts(shown));
  $('#person-facts').hidden = !$('#person-facts').children.length;
  await showNext(event);
  await showHistory(event);
  return true;
}

// Tap to call, email, message or open their link: what a phone's contact card offers.
function contactActions(contact) {
  const action = (href, name, label) =>
    h(
      'a',
      {
        class: 'contact-action',
        href,
        target: href.startsWith('http') ? '_blank' : null,
        rel: href.startsWith('http') ? 'noopener' : null,
      },
      icon(name),
      label,
    );
  const phone = contact.phone?.replace(/[^\d+]/g, '');
  return [
    phone && action(`tel:${phone}`, 'phone', 'Call'),
    contact.email && action(`mailto:${contact.email}`, 'mail', 'Email'),
    phone && action(`sms:${phone}`, 'message', 'Message'),
    /^https?:\/\//.test(contact.url || '') &&
      action(contact.url, 'link', 'Website'),
  ].filter(Boolean);
}

function facts(contact) {
  const rows = [
    ['I promised', contact.i_promised],
    ['They promised', contact.they_promised],
    [
      'Next step',
      [
        contact.next_step,
        contact.next_step_due && `by ${when(contact.next_step_due)}`,
      ]
        .filter(Boolean)
        .join(' '),
    ],
    ['Notes', contact.notes],
    ['Tags', (contact.tags || []).join(', ')],
    ['Email', contact.email],
    ['Phone', contact.phone],
    ['Website', contact.url],
  ];
  return rows
    .filter(([, value]) => value)
    .flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]);
}

async function showNext(event) {
  next = (await list('followup'))
    .filter((f) => f.contact_id === shown.id && !f.done_at)
    .sort((a, b) => due(a).localeCompare(due(b)))[0];
  $('#person-next').hidden = !next;
  if (!next) return;
  const late = new Date(due(next)) < new Date();
  $('#person-next-what').replaceChildren(
    h(
      'span',
      {},
      h('strong', {}, KIND[next.kind] || 'Follow up'),
      ` · ${late ? 'was due' : 'due'} ${dateTime(due(next))}`,
      next.note ? h('span', { class: 'muted' }, ` · ${next.note}`) : null,
    ),
  );
  const thanks = next.kind === 'thank_you';
  $('#thank-you').hidden = !thanks;
  if (thanks) {
    const me = await getMeta('user');
    $('#thank-you').href = thankYouLink(shown, {
      myName: me?.name,
      eventName: event?.name,
    });
  }
}

function due(followup) {
  return followup.snoozed_until || followup.due_at || '';
}

async function showHistory(event) {
  const logged = (await list('interaction')).filter(
    (i) => i.contact_id === shown.id,
  );
  const met = {
    kind: shown.source === 'scan' ? 'scanned' : 'met',
    at: shown.met_at || shown.created_at,
    note: event?.name,
  };
  const entries = [...logged, met]
    .filter((e) => e.at)
    .sort((a, b) => b.at.localeCompare(a.at));
  $('#history').replaceChildren(
    ...entries.map((e) =>
      h(
        'li',
        {},
        h('strong', {}, LOGGED[e.kind] || e.kind),
        h('span', { class: 'muted' }, dateTime(e.at)),
        e.note ? h('span', { class: 'history-note' }, e.note) : null,
      ),
    ),
  );
}

async function logInteraction(kind) {
  if (!shown) return;
  const note = kind === 'note' ? prompt('Note') : null;
  if (kind === 'note' && !note) return;
  await save('interaction', newId(), {
    contact_id: shown.id,
    kind,
    at: new Date().toISOString(),
    note,
  });
  notify(`${LOGGED[kind]}: noted.`, { id: 'logged' });
  await showPerson(shown.id);
}

async function finishNext(fields, message, undo) {
  const followup = next;
  await save('followup', followup.id, fields);
  notify(message, {
    id: 'followup',
    action: 'Undo',
    onAction: () => save('followup', followup.id, undo(followup)),
  });
  await showPerson(shown.id);
}

// Delete waits for its Undo to run out (or the page to go), so an Undo never needs a restore.
function deleteShown(navigate) {
  const person = shown;
  leaving = { id: person.id };
  const commit = () => {
    if (leaving?.id !== person.id) return;
    leaving = null;
    removeEventListener('pagehide', commit);
    remove('contact', person.id);
  };
  addEventListener('pagehide', commit);
  const notice = notify(`Deleted ${person.name}.`, {
    id: 'deleted',
    action: 'Undo',
    onAction: () => {
      leaving = null;
      removeEventListener('pagehide', commit);
      navigate(`/people/${person.id}`);
    },
  });
  notice.addEventListener('dismissed', commit);
  navigate('/people');
}

export function isLeaving(id) {
  return leaving?.id === id;
}

export function bindPerson(navigate) {
  for (const button of $('#log-buttons').querySelectorAll('button'))
    button.addEventListener('click', () => logInteraction(button.dataset.log));
  $('#person-next-done').addEventListener('click', () =>
    finishNext({ done_at: new Date().toISOString() }, 'Marked done.', () => ({
      done_at: null,
    })),
  );
  $('#person-next-snooze').addEventListener('click', () =>
    finishNext(
      { snoozed_until: new Date(Date.now() + 864e5).toISOString() },
      'Snoozed until tomorrow.',
      (followup) => ({ snoozed_until: followup.snoozed_until || null }),
    ),
  );
  $('#person-vcard').addEventListener('click', () =>
    download(
      `${shown.name.replace(/[^\p{L}\p{N} .-]/gu, '') || 'contact'}.vcf`,
      'text/vcard',
      vcard(shown),
    ),
  );
  $('#person-delete').addEventListener('click', () => {
    $('#person-delete').closest('details').open = false;
    deleteShown(navigate);
  });
}
