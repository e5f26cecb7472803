// My card: what I share, my QR code (kept on the device for offline use), my introduction.
import { request } from '../api.js';
import { $, changedValues, fillForm, h, notify } from '../dom.js';
import { getMeta, setMeta } from '../localdb.js';

const SHAREABLE = {
  name: 'Name',
  headline: 'Headline',
  company: 'Company',
  title: 'Title',
  email: 'Email',
  phone: 'Phone',
  url: 'Web',
  intro: 'Intro',
};
let mode = 'link';
let card = null;

async function fetchQr(which) {
  const response = await fetch(`/api/v1/me/card/qr.svg?mode=${which}`, {
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`QR (${response.status})`);
  return response.blob();
}

// Both QR codes are fetched when online and kept, so the card shows at a party with no signal.
async function refreshQrs() {
  for (const which of ['link', 'vcard'])
    await setMeta(`qr-${which}`, await fetchQr(which));
}

async function showQr() {
  const blob = await getMeta(`qr-${mode}`);
  const image = $('#card-qr');
  image.hidden = !blob;
  if (blob) image.src = URL.createObjectURL(blob);
  for (const button of $('.qr-box').querySelectorAll('[data-qr-mode]')) {
    button.setAttribute('aria-pressed', String(button.dataset.qrMode === mode));
  }
  $('#card-link').textContent = card
    ? `${location.origin}/c/${card.public_token}`
    : '';
}

function render() {
  if (!card) return;
  fillForm($('#card-form'), card);
  $('#shared-fields').replaceChildren(
    ...Object.entries(SHAREABLE).map(([name, label]) =>
      h(
        'span',
        {},
        // Toggle buttons, not checkboxes: their names never clash with the field labels.
        h(
          'button',
          {
            type: 'button',
            class: 'chip',
            'data-share': name,
            'aria-pressed': String(card.shared_fields.includes(name)),
            onclick: (event) => {
              const pressed =
                event.currentTarget.getAttribute('aria-pressed') === 'true';
              event.currentTarget.setAttribute(
                'aria-pressed',
                String(!pressed),
              );
            },
          },
          label,
        ),
      ),
    ),
  );
}

export async function showCard() {
  card = await getMeta('card');
  render();
  await showQr();
  try {
    card = await request('GET', '/me/card');
    await setMeta('card', card);
    render();
    await refreshQrs();
    await showQr();
  } catch {
    if (!card)
      notify('Your card shows here once you have been online.', { id: 'card' });
  }
}

async function saveCard(event) {
  event.preventDefault();
  const form = $('#card-form');
  const body = changedValues(form, card || {});
  body.shared_fields = [...form.querySelectorAll('[data-share]')]
    .filter((box) => box.getAttribute('aria-pressed') === 'true')
    .map((box) => box.dataset.share);
  try {
    card = await request('PATCH', '/me/card', body);
    await setMeta('card', card);
    await refreshQrs();
    await showQr();
    form.querySelector('[data-error]').textContent = '';
    notify('Your card is saved.', { id: 'card' });
  } catch (error) {
    form.querySelector('[data-error]').textContent =
      error.status === 503 || !navigator.onLine
        ? 'Changing your card needs the network; it is kept as it was.'
        : error.message;
  }
}

async function rotate() {
  if (
    !confirm(
      'Make a new link? Anyone with the old link or QR code will no longer see your card.',
    )
  )
    return;
  try {
    card = await request('POST', '/me/card/rotate');
    await setMeta('card', card);
    await refreshQrs();
    await showQr();
  } catch (error) {
    notify(`Could not make a new link: ${error.message}`, { id: 'card' });
  }
}

async function showIntro() {
  const stored = await getMeta('card');
  $('#intro-text').textContent =
    stored?.intro || 'Write your three-sentence introduction on My card.';
  $('#intro-dialog').showModal();
}

export function bindCard() {
  $('#card-form').addEventListener('submit', saveCard);
  $('#rotate-card').addEventListener('click', rotate);
  $('#intro-button').addEventListener('click', showIntro);
  for (const button of $('.qr-box').querySelectorAll('[data-qr-mode]')) {
    button.addEventListener('click', () => {
      mode = button.dataset.qrMode;
      showQr();
    });
  }
  $('#qr-full').addEventListener('click', () => {
    $('#qr-full-image').src = $('#card-qr').src;
    $('#qr-dialog').showModal();
  });
}
