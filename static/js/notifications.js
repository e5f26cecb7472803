// Reminders as notifications: shown by the service worker, acted on from the notification itself.
import { save } from './store.js';
import { syncNow } from './sync.js';

// Show what the server pushed (a reminder or a digest).
export function showReminder(registration, data) {
  return registration.showNotification(data.title || 'Hallway', {
    body: data.body || '',
    tag: data.tag,
    data,
    actions: data.actions || [],
    icon: '/static/icons/icon-192.png',
    badge: '/static/icons/icon-192.png',
  });
}

// Done and Snooze work without opening the app: a local edit, synced like any other.
export async function act(action, data) {
  if (!data?.followup_id) return false;
  const now = new Date();
  if (action === 'done') {
    await save('followup', data.followup_id, { done_at: now.toISOString() });
  } else if (action === 'snooze') {
    const until = new Date(
      now.getTime() + (data.snooze_seconds || 3600) * 1000,
    );
    await save('followup', data.followup_id, {
      snoozed_until: until.toISOString(),
    });
  } else {
    return false;
  }
  await syncNow().catch(() => {}); // offline: the outbox keeps it, Background Sync sends it
  return true;
}
