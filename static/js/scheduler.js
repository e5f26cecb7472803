// When the page syncs (and sends waiting photos and card exchanges): at start, when back online,
// shortly after each write, and every minute.
import { changes } from './store.js';
import { syncNow, SyncError } from './sync.js';
import { uploadPhotos } from './photos.js';
import { exchangeWaiting } from './exchanges.js';
import { renderStatus, setReachable, setSyncProblem } from './status.js';

const AFTER_WRITE_MS = 400;
const PERIOD_MS = 60_000;
let timer = null;
let running = null;
let backoff = 0;
let notBefore = 0; // no sync before this time (ms): the server said it is busy
let onSignedOut = () => {};

export function startSyncing({ signedOut }) {
  onSignedOut = signedOut;
  window.addEventListener('online', () => soon(0));
  window.addEventListener('offline', renderStatus);
  changes.addEventListener('change', (event) => {
    renderStatus();
    if (event.detail.kind !== 'sync') {
      soon(AFTER_WRITE_MS);
      askBackgroundSync();
    }
  });
  setInterval(() => soon(0), PERIOD_MS);
  soon(0);
}

export function soon(delay) {
  clearTimeout(timer);
  timer = setTimeout(run, Math.max(delay, notBefore - Date.now()));
}

async function run() {
  if (running) return running;
  running = (async () => {
    try {
      await syncNow();
      await uploadPhotos();
      await exchangeWaiting();
      setReachable(true);
      backoff = 0;
      notBefore = 0;
      setSyncProblem(null);
    } catch (error) {
      setReachable(!(error instanceof SyncError && error.status === 0));
      if (error instanceof SyncError && error.status === 401) {
        setSyncProblem('sign in to sync');
        onSignedOut();
      } else if (error instanceof SyncError && error.status !== 0) {
        backoff = Math.min(60_000, (backoff || 1000) * 2);
        // A busy server's Retry-After holds every sync (a write's too) until then.
        const wait = Math.max(backoff, error.retryAfter * 1000);
        notBefore = Date.now() + wait;
        setSyncProblem('sync will retry');
        soon(wait);
      } else {
        setSyncProblem(null);
      }
    } finally {
      running = null;
      renderStatus();
    }
  })();
  return running;
}

// Ask the browser to sync even if this tab closes (Background Sync, where the browser has it).
async function askBackgroundSync() {
  const registration = await navigator.serviceWorker?.ready.catch(() => null);
  await registration?.sync?.register('hallway-sync').catch(() => {});
}
