// Keep-in-touch cadences per tag ({"investor": 42}): kept on the server (/me/cadences), with
// the last answer cached on the device so the Reconnect list works offline.
import { request } from './api.js';
import { getMeta, setMeta } from './localdb.js';

// The choices a person picks from, in days.
export const CADENCES = [
  [14, '2 weeks'],
  [30, '1 month'],
  [42, '6 weeks'],
  [90, '3 months'],
  [182, '6 months'],
  [365, '1 year'],
];

// "every 6 weeks", "every 10 days".
export function everyInWords(days) {
  const named = CADENCES.find(([value]) => value === days);
  if (named) return `every ${named[1]}`;
  return days === 1 ? 'every day' : `every ${days} days`;
}

export async function cachedCadences() {
  return (await getMeta('cadences')) || {};
}

// The server's cadences (cached); offline or on trouble, the cached ones.
export async function freshCadences() {
  try {
    const cadences = await request('GET', '/me/cadences');
    await setMeta('cadences', cadences);
    return cadences;
  } catch {
    return cachedCadences();
  }
}

// Replace the whole set on the server (online only); returns and caches what it kept.
export async function saveCadences(cadences) {
  const kept = await request('PUT', '/me/cadences', cadences);
  await setMeta('cadences', kept);
  return kept;
}
