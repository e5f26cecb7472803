// Sending a file to the server with XMLHttpRequest, not fetch: it reports how much of the file is
// sent (imports take files up to 50 MB). The progress bar fills while the file goes up, then
// shows "busy" while the server reads it, for a while with no measure of it.
import { getMeta } from './localdb.js';

// Resolves {status, answer} once the server answers; rejects when the network fails.
export async function uploadFile(url, body, progress) {
  const csrf = (await getMeta('csrf')) || '';
  progress.hidden = false;
  progress.value = 0;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.addEventListener('progress', (sent) => {
      if (sent.lengthComputable) progress.value = sent.loaded / sent.total;
    });
    xhr.upload.addEventListener('load', () =>
      progress.removeAttribute('value'),
    );
    xhr.addEventListener('load', () => {
      progress.value = 1;
      resolve({ status: xhr.status, answer: xhr.response || {} });
    });
    xhr.addEventListener('error', () => reject(new Error('offline')));
    xhr.send(body);
  });
}
