// Who is signed in on this device: sign in, create an account, sign out without losing changes.
import { ApiError, rememberCsrf, request } from './api.js';
import { $, notify } from './dom.js';
import { clearAll, getMeta, setMeta } from './localdb.js';
import { pendingCount, issues } from './store.js';
import { downloadJson } from './export.js';
import { forgetThisDevice } from './reminders.js';
import { waitingExchanges } from './exchanges.js';
import { inviteToken } from './signup.js';
import {
  passkeysSupported,
  passkeyTrouble,
  signInWithPasskey,
} from './passkeys.js';

// The user this device last knew (works offline), refreshed from the server when it answers.
export async function knownUser() {
  return getMeta('user');
}

// The CSRF token this device last had, for requests made before the server answers (a start
// offline, then back online).
export async function restoreCsrf() {
  rememberCsrf(await getMeta('csrf'));
}

export async function refreshUser() {
  try {
    const me = await request('GET', '/me');
    await adopt(me);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    return undefined; // offline or server trouble: keep what we know
  }
}

async function adopt(me) {
  const previous = await getMeta('user');
  if (previous && previous.id !== me.id) {
    if ((await pendingCount()) > 0)
      await downloadJson(`hallway-unsynced-${previous.email}.json`);
    await clearAll();
  }
  rememberCsrf(me.csrf_token);
  await setMeta('user', { id: me.id, email: me.email, name: me.name });
  await setMeta('csrf', me.csrf_token);
  await setMeta('settings', {
    timezone: me.timezone,
    quiet_hours: me.quiet_hours,
  });
}

export function bindAccountForm(onSignedIn) {
  bindPasskeySignIn(onSignedIn);
  $('#account').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const errorLine = form.querySelector('[data-error]');
    const data = Object.fromEntries(new FormData(form));
    const action = event.submitter?.value || 'login';
    errorLine.textContent = '';
    try {
      const body = { email: data.email, password: data.password };
      if (action === 'register') {
        body.name = data.name;
        if (inviteToken()) body.invite = inviteToken();
      }
      await signedIn(
        await request('POST', `/auth/${action}`, body),
        onSignedIn,
      );
    } catch (error) {
      errorLine.textContent = error.message;
    }
  });
}

// "Use a passkey": the device offers the passkeys it holds for this site; no email typed.
function bindPasskeySignIn(onSignedIn) {
  if (!passkeysSupported()) return;
  $('#passkey-sign-in').hidden = false;
  $('#use-passkey').addEventListener('click', async () => {
    const errorLine = $('#account [data-error]');
    errorLine.textContent = '';
    try {
      await signedIn(await signInWithPasskey(), onSignedIn);
    } catch (error) {
      errorLine.textContent = passkeyTrouble(error);
    }
  });
}

async function signedIn(me, onSignedIn) {
  await adopt(me);
  $('#account').reset();
  askPersistence();
  onSignedIn(me);
}

// Ask the browser not to evict the offline copy; say so plainly when it refuses, once per
// device (the tip stays in Account).
async function askPersistence() {
  if (!navigator.storage?.persist) return;
  if (await navigator.storage.persisted()) return;
  if (await navigator.storage.persist()) return;
  if (localStorage.getItem('hallway-storage-tip')) return;
  localStorage.setItem('hallway-storage-tip', '1');
  notify(
    'This browser may clear Hallway’s offline copy when space runs low. Install Hallway (Add to Home screen) to keep it safe, and sync often. This tip stays in Account.',
    { id: 'storage' },
  );
}

export function bindSignOut(onSignedOut) {
  $('#sign-out').addEventListener('click', () =>
    signOut('/auth/logout', onSignedOut),
  );
  $('#sign-out-everywhere').addEventListener('click', () =>
    signOut('/auth/logout-everywhere', onSignedOut),
  );
  signedOut = onSignedOut;
}

let signedOut = () => {};

// The Account screen's settings and Delete load when it first shows (not at start-up).
export async function showAccountSettings() {
  const { showAccount } = await import('./screens/account.js');
  await showAccount(() => forget(signedOut));
}

// This device forgets the account (signed out, or the account deleted).
async function forget(onSignedOut) {
  rememberCsrf(null);
  await clearAll();
  onSignedOut();
}

// Sign this device out (everywhere: every device and API token of the account), after offering
// to keep what has not synced yet. Online only: the server has to hear it.
async function signOut(path, onSignedOut) {
  const waiting =
    (await pendingCount()) +
    (await waitingExchanges()).length +
    (await issues()).filter((i) => !i.resolved_at).length;
  if (waiting > 0 && !(await confirmLoss(waiting))) return;
  try {
    await forgetThisDevice();
    await request('POST', path);
  } catch (error) {
    if (error.status !== 401) {
      notify(
        error.status && error.status !== 503
          ? `Could not sign out: ${error.message}`
          : 'You are offline. Sign out when you are back online; your data stays here meanwhile.',
        { id: 'signout' },
      );
      return;
    }
    // The session had already ended (signed out everywhere elsewhere): sign out here all the same.
    if (path.endsWith('everywhere'))
      notify(
        'This device is signed out, but its session had already ended, so other devices were not: sign in and try again.',
        { id: 'signout' },
      );
  }
  await forget(onSignedOut);
}

async function confirmLoss(waiting) {
  const dialog = $('#sign-out-dialog');
  dialog.querySelector('[data-message]').textContent =
    `${waiting} ${waiting === 1 ? 'change is' : 'changes are'} only on this device. Signing out removes this device's copy.`;
  for (;;) {
    dialog.showModal();
    const choice = await new Promise((resolve) =>
      dialog.addEventListener('close', () => resolve(dialog.returnValue), {
        once: true,
      }),
    );
    if (choice === 'download') {
      await downloadJson('hallway-unsynced.json');
      continue;
    }
    return choice === 'discard';
  }
}
