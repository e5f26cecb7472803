// Photos taken offline: kept on the device, uploaded once the card itself is on the server.
import { dbPromise, getMeta } from './localdb.js';
import { announce, get } from './store.js';
import { SyncError } from './sync.js';

export async function keepPhoto(contactId, file) {
  const blob = new Blob([await file.arrayBuffer()], {
    type: file.type || 'image/jpeg',
  });
  await (
    await dbPromise
  ).put('photos', {
    id: contactId,
    blob,
    uploaded: false,
    at: new Date().toISOString(),
  });
}

export async function photoUrl(contactId) {
  const photo = await (await dbPromise).get('photos', contactId);
  if (photo) return URL.createObjectURL(photo.blob);
  const contact = await get('contact', contactId);
  return contact?.photo_at
    ? `/api/v1/contacts/${contactId}/photo?size=thumb`
    : null;
}

// Upload what waits; a photo the server refuses becomes an issue, and the card stays.
export async function uploadPhotos() {
  const db = await dbPromise;
  const csrf = await getMeta('csrf');
  const waiting = (await db.getAll('photos')).filter(
    (photo) => !photo.uploaded,
  );
  for (const photo of waiting) {
    const contact = await get('contact', photo.id);
    if (!contact || contact.version === null) continue; // the card goes first
    const body = new FormData();
    body.append('file', photo.blob, 'photo.jpg');
    const response = await fetch(`/api/v1/contacts/${photo.id}/photo`, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf || '' },
    }).catch(() => {
      throw new SyncError(0, 'Offline: photos wait on this device.');
    });
    if (response.ok) {
      const saved = await response.json();
      await db.put('photos', { ...photo, uploaded: true });
      await db.put('contact', {
        ...contact,
        photo_at: saved.photo_at,
        version: saved.version,
      });
    } else if (response.status >= 400 && response.status < 500) {
      const error = await response
        .json()
        .catch(() => ({ message: `Upload refused (${response.status})` }));
      await db.put('issues', {
        key: `photo:${photo.id}`,
        type: 'rejected',
        kind: 'contact',
        id: photo.id,
        error,
        at: new Date().toISOString(),
      });
      await db.put('photos', { ...photo, uploaded: true, refused: true });
    } else {
      throw new SyncError(
        response.status,
        `Photo upload failed (${response.status})`,
      );
    }
    announce('contact', photo.id);
  }
}
