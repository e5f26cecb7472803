// The scanner: the camera reads QR codes continuously, or a photo is decoded. What a code says is
// attacker-controlled: it is shown as text only, links only for http(s):, tel: and mailto:.
import { request } from '../api.js';
import { qrDetector } from '../decoder.js';
import { $, h, notify } from '../dom.js';
import { exchangeLater } from '../exchanges.js';
import { dbPromise } from '../localdb.js';
import { parsePayload } from '../payloads.js';
import { get } from '../store.js';
import { syncNow } from '../sync.js';
import { prefillCapture } from './capture.js';

const FORMATS = {
  vcard: 'A contact card (vCard)',
  mecard: 'A contact card (MECARD)',
  bizcard: 'A business card (BIZCARD)',
  hallway: 'A Hallway card link',
  url: 'A link',
  tel: 'A phone number',
  email: 'An email address',
  badge: 'A badge',
  text: 'Text',
};
const LABELS = {
  name: 'Name',
  company: 'Company',
  title: 'Title',
  email: 'Email',
  phone: 'Phone',
  url: 'URL',
  notes: 'Notes',
};
const LINKS = { email: 'mailto:', phone: 'tel:', url: '' };
const SAFE_SCHEMES = ['http:', 'https:', 'tel:', 'mailto:'];
const CAMERA = { video: { facingMode: 'environment' }, audio: false };

let go = () => {};
let stream = null;
let shown = null; // the scan on show: {format, contact, raw_payload, token?}

const say = (text) => {
  $('#scan-message').textContent = text;
};
const onScreen = () => $('[data-screen="scan"]').isConnected;

export function bindScan(navigate) {
  go = navigate;
  $('#scan-start').addEventListener('click', startCamera);
  $('#scan-stop').addEventListener('click', stopCamera);
  $('#scan-photo').addEventListener('change', readPhoto);
  $('#scan-again').addEventListener('click', () => {
    clearResult();
    startCamera();
  });
  $('#scan-save-contact').addEventListener('click', () =>
    saveAs(shown.contact),
  );
  $('#scan-save-note').addEventListener('click', () =>
    saveAs({ name: 'Scanned note', notes: shown.raw_payload }),
  );
  // The camera is off whenever the app is not on show.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) stopCamera();
  });
}

export function showScan() {
  clearResult();
  say('');
  qrDetector().catch(() => {}); // load the decoder now, while the camera starts
}

async function startCamera() {
  if (stream) return;
  performance.mark('hallway:scan-start');
  if (!navigator.mediaDevices?.getUserMedia) {
    say('The camera needs a secure (https) connection. Pick a photo instead.');
    return;
  }
  say('Starting the camera…');
  const [decoder, camera] = await Promise.allSettled([
    qrDetector(),
    navigator.mediaDevices.getUserMedia(CAMERA),
  ]);
  if (camera.status === 'rejected') return say(cameraProblem(camera.reason));
  if (decoder.status === 'rejected' || !onScreen() || stream) {
    for (const track of camera.value.getTracks()) track.stop();
    if (decoder.status === 'rejected')
      say('This browser cannot read QR codes here. Pick a photo instead.');
    return;
  }
  stream = camera.value;
  const video = $('#scan-video');
  video.srcObject = stream;
  video.hidden = false;
  $('#scan-start').hidden = true;
  $('#scan-stop').hidden = false;
  await video.play().catch(() => {});
  say('Point the camera at a QR code.');
  watch(decoder.value, stream);
}

// Read frame after frame until a code is read, the camera stops or the screen is left.
async function watch(detector, current) {
  const video = $('#scan-video');
  while (stream === current) {
    if (!onScreen()) return stopCamera();
    if (video.readyState >= 2) {
      const codes = await detector.detect(video).catch(() => []);
      const value = codes.find((code) => code.rawValue)?.rawValue;
      if (value && stream === current) {
        performance.mark('hallway:scan-read');
        stopCamera();
        return showResult(value);
      }
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

export function stopCamera() {
  if (!stream) return;
  for (const track of stream.getTracks()) track.stop();
  stream = null;
  const video = $('#scan-video');
  video.srcObject = null;
  video.hidden = true;
  $('#scan-start').hidden = false;
  $('#scan-stop').hidden = true;
}

function cameraProblem(error) {
  if (error?.name === 'NotAllowedError')
    return 'Hallway may not use the camera. Allow it in the browser, or pick a photo instead.';
  if (error?.name === 'NotFoundError')
    return 'No camera found. Pick a photo instead.';
  return 'The camera did not start. Pick a photo instead.';
}

async function readPhoto(event) {
  const file = event.target.files[0];
  event.target.value = ''; // the same photo again is a new pick
  if (!file) return;
  stopCamera();
  clearResult();
  let codes;
  try {
    const [detector, image] = await Promise.all([
      qrDetector(),
      createImageBitmap(file),
    ]);
    codes = await detector.detect(image);
    image.close();
  } catch {
    return say('Hallway could not read that file as a picture.');
  }
  const value = codes.find((code) => code.rawValue)?.rawValue;
  if (!value) return say('No QR code found in that photo. Try a sharper one.');
  await showResult(value);
}

// Show what a code says; a Hallway card link is also a mutual exchange when online.
export async function showResult(text) {
  shown = parsePayload(text);
  say('');
  renderResult(shown);
  if (shown.format === 'hallway' && shown.token) await exchange(shown);
}

// Show a parsed scan; every value goes in as text, links only with a safe scheme.
export function renderResult({ format, contact, raw_payload }) {
  $('#scan-format').textContent = FORMATS[format] || FORMATS.text;
  $('#scan-fields').replaceChildren(
    ...Object.entries(LABELS)
      .filter(([name]) => contact[name])
      .flatMap(([name, label]) => [
        h('dt', {}, label),
        h('dd', {}, linkOrText(name, contact[name])),
      ]),
  );
  $('#scan-raw').textContent = raw_payload;
  $('#scan-save-contact').hidden = format === 'text';
  $('#scan-result').hidden = false;
  $('#scan-result').scrollIntoView({ block: 'nearest' });
}

function linkOrText(name, value) {
  if (!(name in LINKS)) return value;
  const href = LINKS[name] + value;
  let scheme = null;
  try {
    scheme = new URL(href).protocol;
  } catch {
    return value;
  }
  if (!SAFE_SCHEMES.includes(scheme)) return value;
  const web = scheme === 'http:' || scheme === 'https:';
  return h(
    'a',
    { href, rel: 'noopener noreferrer', target: web ? '_blank' : null },
    value,
  );
}

function clearResult() {
  shown = null;
  $('#scan-result').hidden = true;
  $('#scan-fields').replaceChildren();
  $('#scan-raw').textContent = '';
}

async function saveAs(contact) {
  await prefillCapture({
    contact,
    raw_payload: shown.raw_payload,
    source: 'scan',
  });
  go('/capture');
}

// Both people get each other's card; offline, the exchange waits on this device until online.
async function exchange({ token }) {
  say('Exchanging cards…');
  let contact;
  try {
    contact = await request('POST', '/exchange', { token });
  } catch (error) {
    if (error.status === 404)
      return say('This card link no longer works: its owner replaced it.');
    if (error.status && error.status !== 503)
      return say(
        `Could not exchange cards: ${error.message.replace(`${error.field}: `, '')}`,
      );
    await exchangeLater(token);
    $('#scan-save-contact').hidden = true; // the exchange brings their card
    return say(
      'Offline: the cards will be exchanged as soon as you are back online.',
    );
  }
  notify(`You and ${contact.name} exchanged cards.`, { id: 'exchange' });
  await syncNow().catch(() => {});
  if (!(await get('contact', contact.id)))
    await (await dbPromise).put('contact', contact); // sync brings the rest later
  if (onScreen()) go(`/people/${contact.id}`);
}
