// Turning on reminders on this device, and the calendar for where web push cannot reach.
import { request } from './api.js';
import { $, h, notify } from './dom.js';

export function pushAvailable() {
  return (
    'serviceWorker' in navigator &&
    'PushManager' in window &&
    'Notification' in window
  );
}

function isIos() {
  return /iPhone|iPad|iPod/.test(navigator.userAgent);
}

export async function enableReminders() {
  if (!pushAvailable()) return explainNoPush();
  if ((await Notification.requestPermission()) !== 'granted') {
    notify(
      'Notifications are blocked for Hallway. Allow them in the browser settings, or use the calendar below.',
      { id: 'push' },
    );
    return false;
  }
  const { publicKey } = await request('GET', '/push/key');
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ||
    (await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: publicKey,
    }));
  await request('POST', '/push/subscriptions', subscription.toJSON());
  notify('Reminders are on for this device.', { id: 'push' });
  return true;
}

// Signing out: this browser stops taking the account's reminders (here and at the server), so
// nobody who uses it next sees names on a notification. Before the session ends; online only.
export async function forgetThisDevice() {
  if (!pushAvailable()) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  try {
    await request('DELETE', '/push/subscriptions', {
      endpoint: subscription.endpoint,
    });
  } catch (error) {
    // A session that already ended (signed out everywhere from another device): the push
    // service reports this subscription gone at the next reminder, and the server forgets it.
    if (error.status !== 401) throw error;
  }
  await subscription.unsubscribe();
}

function explainNoPush() {
  const message = isIos()
    ? 'On iPhone and iPad, reminders arrive only in the installed app: tap Share, then "Add to Home Screen", and open Hallway from there. Meanwhile, add your follow-ups to your calendar.'
    : 'This browser cannot show reminders. Add your follow-ups to your calendar instead.';
  notify(message, { id: 'push' });
  return false;
}

// The private calendar link (a calendar app subscribes to it) and a one-off download.
async function calendarLink() {
  try {
    const feed = await request('POST', '/export/calendar-token');
    $('#calendar-link').replaceChildren(
      h('span', {}, 'Subscribe in your calendar app: '),
      h('code', {}, feed.url || ''),
    );
  } catch (error) {
    notify(`Could not make a calendar link: ${error.message}`, {
      id: 'calendar',
    });
  }
}

export function bindReminders() {
  $('#enable-reminders').addEventListener('click', () =>
    enableReminders().catch((error) =>
      notify(`Reminders could not be turned on: ${error.message}`, {
        id: 'push',
      }),
    ),
  );
  $('#calendar-subscribe').addEventListener('click', calendarLink);
}
