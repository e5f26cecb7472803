// Introduce someone (/people/<id>/introduce): pick whom to, say why, and see how well I know
// both and who introduced whom before giving anyone's name; then the first message of the
// double opt-in, asking the person whether they want it. Sending it records the introduction
// as asked. Loaded on first visit.
import { $, h, joined, notify } from '../dom.js';
import { sendControls } from '../draft-send.js';
import { askDraft, draftLines } from '../intro-drafts.js';
import { getMeta } from '../localdb.js';
import { get, list, newId, save } from '../store.js';
import { TRUST } from '../ties.js';
import { firstName } from '../words.js';

const form = () => $('#introduce-form');
let person = null; // the person introduced
let others = new Map(); // id -> every other contact, for the picker
let myName = '';

// What I know of someone, before their name goes anywhere: how well, and who introduced us.
async function tiesCard(contact, { warn = false } = {}) {
  const first = firstName(contact.name) || contact.name;
  const introducer = contact.introduced_by_id
    ? await get('contact', contact.introduced_by_id)
    : null;
  const role = joined([contact.title, contact.company], ' at ');
  const trust = TRUST[contact.trust];
  const caution =
    warn && (!trust || contact.trust === 'met_once')
      ? trust
        ? `You have met ${first} only once: think before you vouch.`
        : `You have not said how well you know ${first}.`
      : null;
  return [
    h('p', { class: 'ties-name' }, h('bdi', {}, contact.name)),
    role.length ? h('p', { class: 'muted' }, role) : null,
    h(
      'p',
      {},
      `How well I know ${first}: `,
      h('strong', {}, trust || 'not set'),
    ),
    h(
      'p',
      {},
      introducer
        ? [
            'Introduced by ',
            h(
              'a',
              { href: `/people/${introducer.id}` },
              h('bdi', {}, introducer.name),
            ),
          ]
        : h('span', { class: 'muted' }, 'No one introduced us.'),
    ),
    caution ? h('p', { class: 'caution' }, caution) : null,
  ].filter(Boolean);
}

function fillPicker() {
  const sorted = [...others.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  form().elements.to_id.replaceChildren(
    h('option', { value: '' }, 'Choose someone'),
    ...sorted.map((c) => h('option', { value: c.id }, c.name)),
  );
}

async function showChoice(navigate) {
  const other = others.get(form().elements.to_id.value);
  $('#introduce-other').hidden = !other;
  $('#introduce-draft').hidden = !other;
  if (!other) return;
  $('#introduce-other').replaceChildren(
    ...(await tiesCard(other, { warn: true })),
  );
  showDraft(other, navigate);
}

function showDraft(other, navigate) {
  const note = form().elements.note.value.trim();
  const draft = askDraft(person, other, { note, myName });
  const first = firstName(person.name) || person.name;
  $('#introduce-draft-title').textContent = `First, ask ${first}`;
  $('#introduce-draft-body').replaceChildren(...draftLines(draft));
  $('#introduce-send').replaceChildren(
    ...sendControls(draft, {
      label: `Email ${first} to ask`,
      sent: () => asked(other, note, navigate),
    }),
  );
}

async function asked(other, note, navigate) {
  const at = new Date().toISOString();
  await save('introduction', newId(), {
    contact_id: person.id,
    to_id: other.id,
    note: note || null,
    asked_at: at,
  });
  notify(`Asked ${person.name} about meeting ${other.name}.`, {
    id: 'introduction',
  });
  navigate(`/people/${person.id}`);
}

export async function showIntroduce(id, navigate) {
  person = await get('contact', id);
  if (!person) return false;
  myName = (await getMeta('user'))?.name || '';
  const first = firstName(person.name) || person.name;
  others = new Map(
    (await list('contact')).filter((c) => c.id !== id).map((c) => [c.id, c]),
  );
  // The top bar shows this title: short enough for the narrowest phone; the lead names them.
  $('#introduce-title').textContent = 'Introduce';
  $('#introduce-lead').textContent =
    `Ask ${first} first. The other person hears nothing until ${first} says yes.`;
  form().reset();
  form().querySelector('[data-error]').textContent = others.size
    ? ''
    : `There is no one else here yet to introduce ${first} to.`;
  fillPicker();
  $('#introduce-who').replaceChildren(...(await tiesCard(person)));
  form().elements.to_id.onchange = () => showChoice(navigate);
  form().elements.note.oninput = () => {
    const other = others.get(form().elements.to_id.value);
    if (other) showDraft(other, navigate);
  };
  form().onsubmit = (event) => event.preventDefault();
  await showChoice(navigate);
  return true;
}
