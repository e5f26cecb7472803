// Account's passkeys: add one of this device, see each (name, when added, when last used), and
// remove one; signing in with the password keeps working beside them.
import { request } from '../api.js';
import { $, h, notify } from '../dom.js';
import { addPasskey, passkeysSupported, passkeyTrouble } from '../passkeys.js';
import { when } from '../words.js';
import { showList } from './account-security.js';

let bound = false;

export async function showPasskeys() {
  if (!bound) bind();
  bound = true;
  $('#add-passkey').hidden = !passkeysSupported();
  $('#passkeys-unsupported').hidden = passkeysSupported();
  await listPasskeys();
}

const listPasskeys = () =>
  showList($('#passkey-list'), '/auth/passkeys', row, 'No passkeys yet.');

function row(passkey) {
  const added = `Added ${when(passkey.created_at)}`;
  const used = passkey.last_used_at
    ? `Last used ${when(passkey.last_used_at)}`
    : 'Not used yet';
  return h(
    'li',
    {},
    h(
      'span',
      { class: 'who' },
      h('strong', {}, passkey.name),
      h('span', { class: 'muted' }, added),
      h('span', { class: 'muted' }, used),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `Remove the passkey ${passkey.name} (${added.toLowerCase()}, ${used.toLowerCase()})`,
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
