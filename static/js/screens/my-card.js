// My card: what people see, what I share, my photo and my QR code (kept on the device for offline
// use). Loaded when My card first opens (see card.js).
import { request } from '../api.js';
import {
  $,
  changedValues,
  fillForm,
  h,
  joined,
  notify,
  offstage,
} from '../dom.js';
import { getMeta, setMeta } from '../localdb.js';
import { initials } from '../words.js';

const SHAREABLE = {
  name: 'Name',
  headline: 'Headline',
  company: 'Company',
  title: 'Title',
  email: 'Email',
  phone: 'Phone',
  url: 'Website',
  intro: 'Introduction',
};
const NOTES = {
  link: 'The link opens your card, photo included, in any browser.',
  vcard:
    'The contact file needs no internet, but a QR code has no room for your photo.',
};
let mode = 'link';
let card = null;
let touched = 0; // counts edits and saves: a server copy fetched before one is stale
const urls = {}; // object URLs on show: the QR code and my photo

const all = (selector) => [
  ...document.querySelectorAll(selector),
  ...offstage.querySelectorAll(selector),
];

function objectUrl(key, blob) {
  if (urls[key]) URL.revokeObjectURL(urls[key]);
  urls[key] = blob ? URL.createObjectURL(blob) : null;
  return urls[key];
}

async function fetchBlob(path) {
  const response = await fetch(`/api/v1/me/card/${path}`, {
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`${path} (${response.status})`);
  return response.blob();
}

// Both QR codes and my photo are fetched when online and kept, so the card shows at a party
// with no signal.
async function refreshFiles() {
  for (const which of ['link', 'vcard'])
    await setMeta(`qr-${which}`, await fetchBlob(`qr.svg?mode=${which}`));
  await setMeta(
    'card-photo',
    card.photo_at ? await fetchBlob('photo?size=thumb') : null,
  );
  objectUrl('photo', await getMeta('card-photo'));
}

async function showQr() {
  const src = objectUrl('qr', await getMeta(`qr-${mode}`));
  $('#card-qr').hidden = !src;
  for (const image of [$('#card-qr'), $('#qr-full-image')])
    if (src) image.src = src;
  for (const button of all('[data-qr-mode]'))
    button.setAttribute('aria-pressed', String(button.dataset.qrMode === mode));
  for (const note of all('[data-qr-note]')) note.textContent = NOTES[mode];
  $('#card-link').textContent = card
    ? `${location.origin}/c/${card.public_token}`
    : '';
}

// Photo or initials, name, headline, title at company: the top of the card as others get it.
function face(name, headline, role, id) {
  return h(
    'div',
    { class: 'card-face' },
    urls.photo
      ? h('img', {
          class: 'avatar card-photo',
          src: urls.photo,
          alt: 'My photo',
        })
      : h(
          'span',
          { class: 'avatar card-photo', 'aria-hidden': 'true' },
          initials(name),
        ),
    h('p', { class: 'card-name', id }, name),
    headline && h('p', { class: 'card-headline' }, headline),
    role?.length > 0 && h('p', { class: 'card-role' }, role),
  );
}

const sharing = (name) =>
  $(`[data-share="${name}"]`)?.getAttribute('aria-pressed') === 'true';

// The card as received, from what the form says now: it follows each keystroke and switch.
function preview() {
  const form = $('#card-form');
  const value = (name) => form.elements[name].value.trim();
  const shown = (name) => sharing(name) && value(name);
  const off = Object.keys(SHAREABLE).filter((n) => value(n) && !sharing(n));
  $('#card-preview').replaceChildren(
    face(
      shown('name') || 'No name shared',
      shown('headline'),
      joined([shown('title'), shown('company')], ' at '),
    ),
    ...['email', 'phone', 'url']
      .filter(shown)
      .map((name) =>
        h(
          'p',
          { class: 'card-value' },
          h('span', { class: 'card-way' }, SHAREABLE[name]),
          ' ',
          value(name),
        ),
      ),
    shown('intro') && h('p', { class: 'card-intro' }, value('intro')),
    off.length > 0 &&
      h(
        'p',
        { class: 'hint' },
        `Not shared: ${off.map((n) => SHAREABLE[n]).join(', ')}.`,
      ),
  );
}

function toggle(event) {
  const button = event.currentTarget;
  const on = button.getAttribute('aria-pressed') === 'true';
  button.setAttribute('aria-pressed', String(!on));
  touched += 1;
  preview();
}

function render() {
  if (!card) return;
  fillForm($('#card-form'), card);
  $('#shared-fields').replaceChildren(
    ...Object.entries(SHAREABLE).map(([name, label]) =>
      // Toggle buttons, not checkboxes: their names never clash with the field labels.
      h(
        'button',
        {
          type: 'button',
          class: 'share-switch',
          'data-share': name,
          'aria-pressed': String(card.shared_fields.includes(name)),
          onclick: toggle,
        },
        label,
      ),
    ),
  );
  $('#card-photo-remove').hidden = !card.photo_at;
  preview();
}

let bound = false;

export async function showCard() {
  if (!bound) bind();
  bound = true;
  card = await getMeta('card');
  objectUrl('photo', await getMeta('card-photo'));
  render();
  await showQr();
  // What this device has shows at once and the server's copy follows; a first visit (nothing
  // kept yet) waits for it, so the form never opens without its card.
  const fresh = refresh();
  if (!card) await fresh;
}

// After a clash: the next Save builds on the server's version; the form keeps what was typed.
async function takeServersVersion() {
  card = { ...card, version: (await request('GET', '/me/card')).version };
}

async function refresh() {
  const before = touched;
  try {
    const fetched = await request('GET', '/me/card');
    if (touched !== before) return; // typed or saved meanwhile: never undo that
    card = fetched;
    await setMeta('card', card);
    render();
    await refreshFiles();
    preview();
    await showQr();
  } catch {
    if (!card)
      notify('Your card shows here once you have been online.', { id: 'card' });
  }
}

const offlineOr = (error) =>
  error.status === 503 || !navigator.onLine
    ? 'Changing your card needs the network; it is kept as it was.'
    : error.message;

// Saved as the server has it, then the QR codes and photo kept for offline use follow.
async function keep(saved) {
  touched += 1;
  card = saved;
  await setMeta('card', card);
  await refreshFiles();
  await showQr();
}

async function saveCard(event) {
  event.preventDefault();
  const form = $('#card-form');
  const body = changedValues(form, card || {});
  body.shared_fields = Object.keys(SHAREABLE).filter(sharing);
  if (card?.version) body.version = card.version; // never overwrite another device's edit
  try {
    await keep(await request('PATCH', '/me/card', body));
    form.querySelector('[data-error]').textContent = '';
    notify('Your card is saved.', { id: 'card' });
  } catch (error) {
    form.querySelector('[data-error]').textContent =
      error.status === 409
        ? `${error.message} Save again to keep what you typed here.`
        : offlineOr(error);
    if (error.status === 409) await takeServersVersion();
  }
}

// The photo is stored at once (the rest of the form waits for Save).
async function changePhoto(file) {
  let body;
  if (file) {
    body = new FormData();
    body.append('file', file);
  }
  try {
    await keep(await request(file ? 'POST' : 'DELETE', '/me/card/photo', body));
    $('#card-photo-remove').hidden = !card.photo_at;
    preview();
    notify(file ? 'Your photo is on your card.' : 'Your photo is removed.', {
      id: 'card',
    });
  } catch (error) {
    notify(offlineOr(error), { id: 'card', error: true });
  }
  $('#card-photo').value = '';
}

async function rotate() {
  if (
    !confirm(
      'Make a new link? Anyone with the old link or QR code will no longer see your card.',
    )
  )
    return;
  try {
    await keep(await request('POST', '/me/card/rotate'));
  } catch (error) {
    notify(`Could not make a new link: ${error.message}`, { id: 'card' });
  }
}

export async function showIntro() {
  const stored = await getMeta('card');
  $('#intro-text').textContent =
    stored?.intro || 'Write your three-sentence introduction on My card.';
  $('#intro-dialog').showModal();
}

function bind() {
  const form = $('#card-form');
  form.addEventListener('submit', saveCard);
  form.addEventListener('input', () => {
    touched += 1;
    preview();
  });
  $('#card-photo').addEventListener('change', (event) => {
    if (event.target.files[0]) changePhoto(event.target.files[0]);
  });
  $('#card-photo-remove').addEventListener('click', () => changePhoto(null));
  $('#rotate-card').addEventListener('click', rotate);
  for (const button of all('[data-qr-mode]')) {
    button.addEventListener('click', () => {
      mode = button.dataset.qrMode;
      showQr();
    });
  }
  $('#qr-full').addEventListener('click', () => {
    $('#qr-full-face').replaceChildren(
      face(card?.name || '', card?.headline, null, 'qr-full-name'),
    );
    $('#qr-dialog').showModal();
  });
}
