// A person's page: their card to read and act on (call, email, save to the phone), how well I
// know them and who introduced us, the next follow-up, what each side promised (kept or not),
// their introductions, the history. Edit opens the capture form.
import { $, download, h, icon, joined, notify } from '../dom.js';
import { vcard } from '../export.js';
import { getMeta } from '../localdb.js';
import { showIntroductions } from '../person-intros.js';
import { showPromises } from '../person-promises.js';
import { dueAt, spokenFollowup } from '../plans.js';
import { photoUrl } from '../photos.js';
import { get, list, newId, remove, save } from '../store.js';
import { cadenceWords, lastTouch, tieParts } from '../ties.js';
import { leaving } from '../undo.js';
import { dateTime, initials, when } from '../words.js';

const thankYou = () => import('../thankyou.js'); // loaded on first use
let shown = null; // the contact on show
let next = null; // their next open follow-up

const KIND = {
  thank_you: 'Say thank you',
  check_back: 'Check back',
  keep_in_touch: 'Keep in touch',
  custom: 'Follow up',
};
// How each interaction that counts as the thank-you sent it ("Done: thank-you to Ada by email.").
const THANKED = {
  emailed: 'by email',
  called: 'by phone',
  messaged: 'by message',
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
  if (!shown || leaving.has(id)) {
    notify('That person is not on this device.', {
      id: 'missing',
      error: true,
    });
    return false;
  }
  const event = shown.event_id ? await get('event', shown.event_id) : null;
  $('#person-name').textContent = shown.name;
  $('#person-role').replaceChildren(
    ...joined([shown.title, shown.company], ' at '),
  );
  $('#person-met').textContent = [
    shown.met_at && `Met ${when(shown.met_at)}`,
    event?.name,
  ]
    .filter(Boolean)
    .join(' · ');
  await showTies(shown);
  $('#person-avatar').textContent = initials(shown.name);
  const photo = await photoUrl(shown.id);
  $('#person-photo').hidden = !photo;
  $('#person-avatar').hidden = Boolean(photo);
  if (photo) $('#person-photo').src = photo;
  $('#person-edit').href = `/people/${shown.id}/edit`;
  $('#person-actions').replaceChildren(...contactActions(shown));
  const promises = await showPromises(shown);
  $('#person-facts').replaceChildren(...facts(shown, promises));
  $('#person-facts').hidden = !$('#person-facts').children.length;
  const me = await getMeta('user');
  await showNext(event, promises, me);
  await showIntroductions(shown, me?.name);
  await showHistory(event);
  return true;
}

// How well I know them, who introduced us, and when we were last in touch (and how often to be).
async function showTies(contact) {
  const introducer = contact.introduced_by_id
    ? await get('contact', contact.introduced_by_id)
    : null;
  const parts = tieParts(contact, introducer);
  $('#person-ties').replaceChildren(...parts);
  $('#person-ties').hidden = !parts.length;
  const cadence = cadenceWords(contact.cadence_days);
  $('#person-touch').textContent = [
    lastTouch(contact),
    cadence && `Keep in touch every ${cadence}`,
  ]
    .filter(Boolean)
    .join(' · ');
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

// The card's facts; what each side promised shows here only while no promise record has it.
function facts(contact, promises) {
  const recorded = (direction) =>
    promises.some((p) => p.direction === direction);
  const rows = [
    ['I promised', !recorded('mine') && contact.i_promised],
    ['They promised', !recorded('theirs') && contact.they_promised],
    [
      'Next step',
      joined(
        [
          contact.next_step,
          contact.next_step_due && `by ${when(contact.next_step_due)}`,
        ],
        ' ',
      ),
    ],
    ['Notes', contact.notes],
    ['Tags', joined(contact.tags || [], ', ')],
    ['Email', contact.email],
    ['Phone', contact.phone],
    ['Website', contact.url],
  ];
  return rows
    .filter(([, value]) => value && value.length)
    .flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]);
}

async function showNext(event, promises, me) {
  next = (await list('followup'))
    .filter((f) => f.contact_id === shown.id && !f.done_at)
    .sort((a, b) => dueAt(a) - dueAt(b))[0];
  $('#person-next').hidden = !next;
  if (!next) return;
  const late = dueAt(next) < new Date();
  $('#person-next-what').replaceChildren(
    h(
      'span',
      {},
      h('strong', {}, KIND[next.kind] || 'Follow up'),
      ` · ${late ? 'was due' : 'due'} ${dateTime(dueAt(next))}`,
      next.note ? h('span', { class: 'muted' }, ` · ${next.note}`) : null,
    ),
  );
  const thanks = next.kind === 'thank_you';
  $('#thank-you').hidden = $('#thank-you-hint').hidden = !thanks;
  if (thanks) {
    (await thankYou()).showThankYou(shown, {
      myName: me?.name,
      eventName: event?.name,
      promises,
    });
  }
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
  const interaction = {
    contact_id: shown.id,
    kind,
    at: new Date().toISOString(),
    note,
  };
  // Emailed, called or messaged after we met: the thank-you went out (the server agrees).
  const thanked =
    kind in THANKED && !(shown.met_at > interaction.at)
      ? await (await thankYou()).logThankYou(interaction, THANKED[kind])
      : await save('interaction', newId(), interaction).then(() => false);
  if (!thanked) notify(`${LOGGED[kind]}: noted.`, { id: 'logged' });
  await showPerson(shown.id);
}

// Done as on the Follow-ups screen (its notice and Undo); that screen's code loads on first use.
async function markNextDone() {
  const { markDone } = await import('./followups.js');
  await markDone(
    next,
    spokenFollowup(next, shown.name, `follow-up with ${shown.name}`),
  );
  await showPerson(shown.id);
}

async function snoozeNext() {
  const followup = next;
  const before = followup.snoozed_until || null;
  await save('followup', followup.id, {
    snoozed_until: new Date(Date.now() + 864e5).toISOString(),
  });
  notify('Snoozed until tomorrow.', {
    id: 'followup',
    action: 'Undo',
    onAction: () => save('followup', followup.id, { snoozed_until: before }),
  });
  await showPerson(shown.id);
}

// Delete waits for its Undo to run out (or the page to go), so an Undo never needs a restore.
function deleteShown(navigate) {
  const person = shown;
  leaving.add(person.id);
  const commit = () => {
    if (!leaving.delete(person.id)) return;
    removeEventListener('pagehide', commit);
    remove('contact', person.id);
  };
  addEventListener('pagehide', commit);
  const notice = notify(`Deleted ${person.name}.`, {
    id: 'deleted',
    action: 'Undo',
    onAction: () => {
      leaving.delete(person.id);
      removeEventListener('pagehide', commit);
      navigate(`/people/${person.id}`);
    },
  });
  notice.addEventListener('dismissed', commit);
  navigate('/people');
}

export function bindPerson(navigate) {
  for (const button of $('#log-buttons').querySelectorAll('button'))
    button.addEventListener('click', () => logInteraction(button.dataset.log));
  $('#person-next-done').addEventListener('click', markNextDone);
  $('#person-next-snooze').addEventListener('click', snoozeNext);
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
