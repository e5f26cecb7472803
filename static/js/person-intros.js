// A person's introductions on their page, each with its state: asked (then "They agreed"),
// agreed (the introduction's draft to both, then "Made"), made. Undo in each notice.
import { $, h, notify } from './dom.js';
import { sendControls } from './draft-send.js';
import { introductionDraft } from './intro-drafts.js';
import { get, list, save } from './store.js';
import { firstName, when } from './words.js';

const GONE = { name: 'someone no longer here' };

function state(intro) {
  if (intro.made_at) return ['made', `Made ${when(intro.made_at)}`];
  if (intro.agreed_at) return ['agreed', `Agreed ${when(intro.agreed_at)}`];
  return ['asked', `Asked ${when(intro.asked_at || intro.created_at)}`];
}

async function mark(intro, field, spoken) {
  await save('introduction', intro.id, { [field]: new Date().toISOString() });
  notify(spoken, {
    id: 'introduction',
    action: 'Undo',
    onAction: () => save('introduction', intro.id, { [field]: null }),
  });
}

// The name that is not the page's own person links to their page.
function named(contact, pageId) {
  const name = h('bdi', {}, contact.name);
  return contact.id && contact.id !== pageId
    ? h('a', { href: `/people/${contact.id}` }, name)
    : name;
}

function actions(intro, person, other, myName, titleId) {
  const one = firstName(person.name) || person.name;
  if (intro.made_at) return null;
  if (!intro.agreed_at)
    return h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-describedby': titleId,
        onclick: () =>
          mark(intro, 'agreed_at', `${one} agreed: now introduce them.`),
      },
      'They agreed',
    );
  const draft = introductionDraft(person, other, {
    note: intro.note,
    myName,
  });
  return h(
    'div',
    { class: 'actions' },
    ...sendControls(draft, { label: 'Write the introduction', sent: () => {} }),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-describedby': titleId,
        onclick: () =>
          mark(intro, 'made_at', `Made: ${person.name} and ${other.name}.`),
      },
      'Made',
    ),
  );
}

async function item(intro, pageId, myName) {
  const person = (await get('contact', intro.contact_id)) || GONE;
  const other = (await get('contact', intro.to_id)) || GONE;
  const [key, said] = state(intro);
  const titleId = `intro-${intro.id}`;
  return h(
    'li',
    { class: `intro ${key}` },
    h(
      'p',
      { class: 'intro-title', id: titleId },
      'Introducing ',
      named(person, pageId),
      ' to ',
      named(other, pageId),
    ),
    h('p', { class: 'hint' }, h('span', { class: `badge ${key}` }, said)),
    intro.note ? h('p', { class: 'intro-note' }, intro.note) : null,
    other === GONE || person === GONE
      ? null
      : actions(intro, person, other, myName, titleId),
  );
}

// List the introductions this person is in (either side), newest first.
export async function showIntroductions(contact, myName) {
  const own = (await list('introduction'))
    .filter((i) => i.contact_id === contact.id || i.to_id === contact.id)
    .sort((a, b) =>
      (b.asked_at || b.created_at || '').localeCompare(
        a.asked_at || a.created_at || '',
      ),
    );
  $('#intro-list').replaceChildren(
    ...(await Promise.all(own.map((i) => item(i, contact.id, myName)))),
  );
  const first = firstName(contact.name) || contact.name;
  $('#person-introduce').textContent = `Introduce ${first} to someone`;
  $('#person-introduce').href = `/people/${contact.id}/introduce`;
}
