// Account's passkeys: add one of this device, see each (name, when added, when last used), and
// remove one; signing in with the password keeps working beside them.
import { request } from '../api.js';
import { $, h, notify } from '../dom.js';
import { addPasskey, passkeysSupported, passkeyTrouble } from '../passkeys.js';
import { when } from '../words.js';

let bound = false;

export async function showPasskeys() {
  if (!bound) bind();
  bound = true;
  $('#add-passkey').hidden = !passkeysSupported();
  $('#passkeys-unsupported').hidden = passkeysSupported();
  await listPasskeys();
}

async function listPasskeys() {
  const list = $('#passkey-list');
  let passkeys;
  try {
    passkeys = (await request('GET', '/auth/passkeys')).items;
  } catch {
    list.replaceChildren(
      h('li', { class: 'muted' }, 'The list shows when you are online.'),
    );
    return;
  }
  list.replaceChildren(
    ...(passkeys.length
      ? passkeys.map(row)
      : [h('li', { class: 'muted' }, 'No passkeys yet.')]),
  );
}

function row(passkey) {
  const used = passkey.last_used_at
    ? `last used ${when(passkey.last_used_at)}`
    : 'not used yet';
  const story = `added ${when(passkey.created_at)} · ${used}`;
  return h(
    'li',
    {},
    h(
      'span',
      { class: 'who' },
      h('strong', {}, passkey.name),
      h('span', { class: 'muted' }, story),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `Remove the passkey ${passkey.name}, ${story}`,
        onclick: () => remove(passkey),
      },
      'Remove',
    ),
  );
}

async function add() {
  const button = $('#add-passkey');
  button.disabled = true;
  try {
    const passkey = await addPasskey();
    notify(
      `Passkey added: ${passkey.name}. Use it the next time you sign in.`,
      {
        id: 'passkeys',
      },
    );
  } catch (error) {
    notify(`The passkey was not added. ${passkeyTrouble(error)}`, {
      id: 'passkeys',
      error: true,
    });
  } finally {
    button.disabled = false;
  }
  await listPasskeys();
}

async function remove(passkey) {
  try {
    await request('DELETE', `/auth/passkeys/${passkey.id}`);
    notify(
      `Passkey removed: ${passkey.name}. It signs nobody in any more; delete it on your device too.`,
      { id: 'passkeys' },
    );
  } catch (error) {
    notify(
      error.status
        ? error.message
        : 'This needs the network; nothing was changed.',
      { id: 'passkeys', error: true },
    );
  }
  await listPasskeys();
}

function bind() {
  $('#add-passkey').addEventListener('click', add);
}
