// The sync indicator in the top bar: a dot and a word or two, the whole sentence one tap away
// (and always in the role=status element screen readers and tests read).
import { getMeta } from './localdb.js';
import { pendingCount } from './store.js';
import { $, h } from './dom.js';
import { timeOfDay } from './words.js';

let problem = null;
let reachable = true;

// The last attempt to reach the server failed (lie-fi counts as offline, whatever the OS says).
export function setReachable(value) {
  reachable = value;
  renderStatus();
}

// Whether the last attempt to reach the server worked.
export function serverReachable() {
  return reachable;
}

export function setSyncProblem(message) {
  problem = message;
  renderStatus();
}

export async function renderStatus() {
  const waiting = await pendingCount();
  const lastSync = await getMeta('lastSync');
  const online = navigator.onLine && reachable;
  const parts = [online ? 'Online' : 'Offline'];
  if (waiting)
    parts.push(
      `${waiting} ${waiting === 1 ? 'change' : 'changes'} waiting to sync`,
    );
  else parts.push('all changes synced');
  if (lastSync) parts.push(`last sync ${timeOfDay(lastSync)}`);
  if (problem && online) parts.push(problem);
  const sentence = parts.join(' · ');
  $('#status').textContent = sentence;
  $('#sync-detail').textContent = sentence;
  // "Offline · 2 waiting"; on the smallest phones "Offline · 2", for the screen's title.
  $('#sync-short').replaceChildren(
    ...(waiting
      ? [
          `${online ? '' : 'Offline · '}${waiting}`,
          h('span', { class: online ? null : 'wide-only' }, ' waiting'),
        ]
      : [online ? 'Synced' : 'Offline']),
  );
  $('#sync-button').dataset.state =
    problem && online
      ? 'problem'
      : !online
        ? 'offline'
        : waiting
          ? 'waiting'
          : 'online';
}

export function bindStatus() {
  const button = $('#sync-button');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    $('#sync-detail').hidden = !open;
  });
}
