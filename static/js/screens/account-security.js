// Account's security parts: the browsers signed in to my account (end any one), and my password.
import { request } from '../api.js';
import { $, h, notify } from '../dom.js';
import { when } from '../words.js';

const OFFLINE = 'This needs the network; nothing was changed.';
let bound = false;

export async function showSecurity() {
  if (!bound) bind();
  bound = true;
  await showBrowsers();
}

const showBrowsers = () => showList($('#browser-list'), '/me/sessions', row);

// Fill list with a row per item the server lists at path (`empty` when there is none); offline,
// say the list needs the network.
export async function showList(list, path, rowOf, empty) {
  let items;
  try {
    items = (await request('GET', path)).items;
  } catch {
    list.replaceChildren(
      h('li', { class: 'muted' }, 'The list shows when you are online.'),
    );
    return;
  }
  list.replaceChildren(
    ...(items.length || !empty
      ? items.map(rowOf)
      : [h('li', { class: 'muted' }, empty)]),
  );
}

function row(browser) {
  const seen = `${browser.network} · seen ${when(browser.last_seen_at)}`;
  return h(
    'li',
    {},
    h(
      'span',
      { class: 'who' },
      h('strong', {}, browser.browser),
      h('span', { class: 'muted' }, seen),
    ),
    browser.current
      ? h('span', { class: 'badge due' }, 'This browser')
      : h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `End: ${browser.browser}, ${seen}`,
            onclick: () => end(browser),
          },
          'End',
        ),
  );
}

async function end(browser) {
  try {
    await request('DELETE', `/me/sessions/${browser.id}`);
    notify(`Signed out ${browser.browser}.`, { id: 'browsers' });
  } catch (error) {
    notify(error.status ? error.message : OFFLINE, {
      id: 'browsers',
      error: true,
    });
  }
  await showBrowsers();
}

async function changePassword(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const errorLine = form.querySelector('[data-error]');
  const { current_password: current, new_password: next } = form.elements;
  errorLine.textContent = '';
  if (next.value.length < 10) {
    errorLine.textContent = 'New password: at least 10 characters.';
    next.focus();
    return;
  }
  try {
    await request('POST', '/me/password', {
      current_password: current.value,
      new_password: next.value,
    });
    form.reset();
    notify('Password changed. Every other browser is signed out.', {
      id: 'password',
    });
    await showBrowsers();
  } catch (error) {
    errorLine.textContent = error.status ? error.message : OFFLINE;
  }
}

function bind() {
  $('#password-form').addEventListener('submit', changePassword);
}
