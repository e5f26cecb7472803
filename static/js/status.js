// The always-visible status line: online or offline, changes waiting, last sync.
import { getMeta } from './localdb.js';
import { pendingCount } from './store.js';
import { $ } from './dom.js';

let problem = null;
let reachable = true;

// The last attempt to reach the server failed (lie-fi counts as offline, whatever the OS says).
export function setReachable(value) {
  reachable = value;
  renderStatus();
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
  if (lastSync)
    parts.push(
      `last sync ${new Date(lastSync).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
    );
  if (problem && online) parts.push(problem);
  $('#status').textContent = parts.join(' · ');
}
