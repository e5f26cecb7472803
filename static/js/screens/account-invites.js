// Account's invites: make a one-time sign-up link, see the ones not used yet, withdraw one.
// Hidden where this Hallway takes no new sign-ups.
import { request } from '../api.js';
import { $, h, notify } from '../dom.js';
import { askMode, signUpMode } from '../signup.js';
import { when } from '../words.js';

const OFFLINE = 'This needs the network; nothing was changed.';
let bound = false;

export async function showInvites() {
  if (!bound) bind();
  bound = true;
  $('#new-invite').hidden = true;
  const mode = await askMode().catch(signUpMode);
  $('#invites-part').hidden = mode === 'closed';
  if (mode !== 'closed') await showList();
}

async function showList() {
  const list = $('#invite-list');
  let invites;
  try {
    invites = (await request('GET', '/invites')).items;
  } catch {
    list.replaceChildren(
      h('li', { class: 'muted' }, 'Your invites show when you are online.'),
    );
    return;
  }
  list.replaceChildren(...invites.map(row));
}

function row(invite) {
  const until = `Works until ${when(invite.expires_at)}`;
  const made = `Made ${when(invite.created_at)}, not used yet`;
  return h(
    'li',
    {},
    h(
      'span',
      { class: 'who' },
      h('strong', {}, until),
      h('span', { class: 'muted' }, made),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `Withdraw the invite that works until ${when(invite.expires_at)}`,
        onclick: () => withdraw(invite),
      },
      'Withdraw',
    ),
  );
}

async function make() {
  let invite;
  try {
    invite = await request('POST', '/invites');
  } catch (error) {
    notify(error.status ? error.message : OFFLINE, {
      id: 'invites',
      error: true,
    });
    return;
  }
  $('#invite-link').value = invite.url;
  $('#new-invite').hidden = false;
  $('#invite-link').select();
  await showList();
}

async function share() {
  const url = $('#invite-link').value;
  try {
    if (navigator.share)
      await navigator.share({ title: 'Join me on Hallway', url });
    else {
      await navigator.clipboard.writeText(url);
      notify('The invite link is copied.', { id: 'invites' });
    }
  } catch (error) {
    if (error.name !== 'AbortError')
      notify('Copy the link from the box above.', { id: 'invites' });
  }
}

async function withdraw(invite) {
  try {
    await request('DELETE', `/invites/${invite.id}`);
    notify('Invite withdrawn: its link no longer works.', { id: 'invites' });
  } catch (error) {
    notify(error.status ? error.message : OFFLINE, {
      id: 'invites',
      error: true,
    });
  }
  await showList();
}

function bind() {
  $('#make-invite').addEventListener('click', make);
  $('#share-invite').addEventListener('click', share);
  if (navigator.share) $('#share-invite').textContent = 'Share link';
}
