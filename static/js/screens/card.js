// My card: read from the server when online and kept on the device for offline use.
import { request } from '../api.js';
import { $, h } from '../dom.js';
import { getMeta, setMeta } from '../localdb.js';

const LABELS = {
  name: 'Name',
  headline: 'Headline',
  company: 'Company',
  title: 'Title',
  email: 'Email',
  phone: 'Phone',
  url: 'Web',
  intro: 'My introduction',
};

export async function showCard() {
  let card = await getMeta('card');
  render(card);
  try {
    card = await request('GET', '/me/card');
    await setMeta('card', card);
    render(card);
  } catch {
    // offline: the stored copy stays on screen
  }
}

function render(card) {
  const rows = card
    ? Object.entries(LABELS).filter(([name]) => card[name])
    : [];
  $('#card-fields').replaceChildren(
    ...rows.flatMap(([name, label]) => [
      h('dt', {}, label),
      h('dd', {}, card[name]),
    ]),
  );
  $('[data-screen="card"] [data-empty]').hidden = Boolean(card);
}
