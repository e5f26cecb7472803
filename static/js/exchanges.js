// Hallway card links scanned offline: exchanged once the device is back online, dated when
// they were scanned (so the thank-you is due the morning after the meeting, not after the sync).
import { request } from './api.js';
import { notify } from './dom.js';
import { getMeta, setMeta } from './localdb.js';
import { SyncError, syncNow } from './sync.js';

export async function exchangeLater(token) {
  const waiting = await waitingExchanges();
  if (waiting.some((item) => item.token === token)) return;
  waiting.push({ token, met_at: new Date().toISOString() });
  await setMeta('exchanges', waiting);
}

export async function waitingExchanges() {
  return (await getMeta('exchanges')) || [];
}

// Exchange what waits; offline or a server fault keeps it for the next try.
export async function exchangeWaiting() {
  let exchanged = false;
  for (const item of await waitingExchanges()) {
    let message;
    try {
      const contact = await request('POST', '/exchange', item);
      message = `You and ${contact.name} exchanged cards.`;
      exchanged = true;
    } catch (error) {
      if (!error.status || error.status === 401 || error.status >= 500)
        throw new SyncError(
          error.status || 0,
          'Exchanges wait on this device.',
        );
      message = `A card link you scanned could not be exchanged: ${error.message}`;
    }
    await setMeta(
      'exchanges',
      (await waitingExchanges()).filter((other) => other.token !== item.token),
    );
    notify(message, { id: 'exchange' });
  }
  if (exchanged) await syncNow(); // bring their card into People now
}
