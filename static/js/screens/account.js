// The Account screen: time zone and quiet hours (saved on the server), keep-in-touch cadences,
// this device's reminders, and deleting the account with a typed confirmation.
import { request } from '../api.js';
import { $, h, notify } from '../dom.js';
import { getMeta, setMeta } from '../localdb.js';
import { pendingCount } from '../store.js';
import { initials } from '../words.js';
import {
  enableReminders,
  forgetThisDevice,
  pushAvailable,
} from '../reminders.js';
import { showCadences } from './account-cadences.js';
import { showSecurity } from './account-security.js';
import { showInvites } from './account-invites.js';
import { showPasskeys } from './account-passkeys.js';

const form = () => $('#settings-form');
let bound = false;
const deviceZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const QUIET = { start: '21:00', end: '08:00' };
const OFFLINE =
  'You are offline. Time zone, quiet hours and deleting your account need the network; everything else here works.';

function fillSettings(me) {
  const fields = form().elements;
  fields.timezone.value = me?.timezone || deviceZone();
  fields.quiet_start.value = me?.quiet_hours?.start || QUIET.start;
  fields.quiet_end.value = me?.quiet_hours?.end || QUIET.end;
  const hint = $('#zone-hint');
  const device = deviceZone();
  hint.hidden = !device || device === fields.timezone.value;
  hint.querySelector('span').textContent = `This device is in ${device}.`;
}

async function reminderSubscription() {
  if (!pushAvailable() || Notification.permission !== 'granted') return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return registration?.pushManager.getSubscription();
}

async function showReminders() {
  const on = Boolean(await reminderSubscription());
  $('#reminders-state').textContent = on
    ? 'Reminders are on for this device.'
    : 'Reminders are off for this device.';
  $('#account-reminders').textContent = on
    ? 'Turn off reminders'
    : 'Turn on reminders';
}

// Online: the server's settings (kept for offline); offline: the last ones this device saw.
// `deleted`: clears this device and shows the sign-in screen (as signing out does).
export async function showAccount(deleted) {
  if (!bound) bind(deleted);
  bound = true;
  $('#account-avatar').textContent = initials((await getMeta('user'))?.name);
  const offline = !navigator.onLine;
  $('#account-offline').hidden = !offline;
  form().querySelector('[data-error]').textContent = '';
  fillSettings(await getMeta('settings'));
  showReminders();
  showSecurity();
  showInvites();
  showPasskeys();
  showCadences();
  if (offline) return;
  try {
    const me = await request('GET', '/me');
    await setMeta('settings', settingsOf(me));
    if (!form().contains(document.activeElement)) fillSettings(me);
  } catch {
    $('#account-offline').hidden = false; // the server did not answer
  }
}

const settingsOf = (me) => ({
  timezone: me.timezone,
  quiet_hours: me.quiet_hours,
});

async function saveSettings(event) {
  event.preventDefault();
  const fields = form().elements;
  const errorLine = form().querySelector('[data-error]');
  errorLine.textContent = '';
  const body = {
    timezone: fields.timezone.value.trim(),
    quiet_hours: {
      start: fields.quiet_start.value,
      end: fields.quiet_end.value,
    },
  };
  if (!body.timezone || !body.quiet_hours.start || !body.quiet_hours.end) {
    errorLine.textContent =
      'Time zone and both quiet hours: fill them in to save.';
    return;
  }
  try {
    const me = await request('PATCH', '/me', body);
    await setMeta('settings', settingsOf(me));
    fillSettings(me);
    notify(
      `Saved: ${me.timezone}, quiet from ${me.quiet_hours.start} until ${me.quiet_hours.end}.`,
      { id: 'settings' },
    );
  } catch (error) {
    errorLine.textContent = error.status ? error.message : OFFLINE;
  }
}

async function toggleReminders() {
  try {
    if (await reminderSubscription()) {
      await forgetThisDevice();
      notify('Reminders are off for this device.', { id: 'push' });
    } else await enableReminders();
  } catch (error) {
    notify(`Reminders could not be changed: ${error.message}`, {
      id: 'push',
      error: true,
    });
  }
  showReminders();
}

// Delete my account: type the email (or "delete") to enable the button; online only.
async function confirmDelete() {
  if (!navigator.onLine) {
    notify(OFFLINE, { id: 'delete', error: true });
    return false;
  }
  const user = await getMeta('user');
  const waiting = await pendingCount();
  const dialog = $('#delete-dialog');
  const input = dialog.querySelector('input');
  const button = dialog.querySelector('[value="delete"]');
  dialog.querySelector('[data-message]').textContent =
    `This deletes ${user?.email || 'your account'} and everything in it, on the server and on this device${waiting ? `, including ${waiting} ${waiting === 1 ? 'change' : 'changes'} not synced yet` : ''}. It cannot be undone.`;
  input.value = '';
  button.disabled = true;
  input.oninput = () => {
    const typed = input.value.trim().toLowerCase();
    button.disabled = !(
      typed === 'delete' || typed === user?.email?.toLowerCase()
    );
  };
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener(
      'close',
      () => resolve(dialog.returnValue === 'delete' && !button.disabled),
      { once: true },
    ),
  );
}

async function deleteAccount(deleted) {
  if (!(await confirmDelete())) return;
  try {
    await request('DELETE', '/me');
  } catch (error) {
    notify(
      error.status && error.status !== 503
        ? `Could not delete the account: ${error.message}`
        : OFFLINE,
      { id: 'delete', error: true },
    );
    return;
  }
  // The server forgot this device's reminders with the account; the browser forgets them too.
  await forgetThisDevice().catch(() => {});
  await deleted();
  notify('Your account and its data are deleted.', { id: 'delete' });
}

function bind(deleted) {
  form().addEventListener('submit', saveSettings);
  $('#account-timezones').replaceChildren(
    ...(Intl.supportedValuesOf?.('timeZone') || []).map((zone) =>
      h('option', { value: zone }),
    ),
  );
  $('#use-device-zone').addEventListener('click', () => {
    form().elements.timezone.value = deviceZone();
    $('#zone-hint').hidden = true;
  });
  $('#account-reminders').addEventListener('click', toggleReminders);
  $('#delete-account').addEventListener('click', () => deleteAccount(deleted));
}
