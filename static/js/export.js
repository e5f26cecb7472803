// "Download my data": the server's all.json (everything the account owns, which any Hallway
// imports) when online; offline, the device's own copy, named for what it is. vCard of the
// people met from the device's copy.
import { download, h, notify } from './dom.js';
import { serverReachable } from './status.js';
import { list, snapshot } from './store.js';

export const ALL_JSON = '/api/v1/export/all.json';

export async function downloadMyData() {
  if (navigator.onLine && serverReachable()) {
    const link = h('a', { href: ALL_JSON, download: '' }); // the server names the file
    document.body.append(link);
    link.click();
    link.remove();
    return;
  }
  await downloadJson('hallway-this-device-offline-copy.json');
  notify(
    'You are offline, so this is the copy on this device (changes not yet synced included). Download again online for the file that imports into Hallway.',
    { sticky: true },
  );
}

// The device's own copy (also what signing out saves when changes wait to sync).
export async function downloadJson(filename = 'hallway.json') {
  download(
    filename,
    'application/json',
    JSON.stringify(await snapshot(), null, 2),
  );
}

export async function downloadVcard() {
  const contacts = await list('contact');
  download('hallway-contacts.vcf', 'text/vcard', contacts.map(vcard).join(''));
}

function escape(value) {
  return String(value)
    .replace(/\r\n?/g, '\n') // CRLF and a bare CR are newlines too, never a new vCard line
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/([,;])/g, '\\$1');
}

// Fold at 75 octets (RFC 6350 3.2), never inside a UTF-8 sequence.
function fold(line) {
  const bytes = new TextEncoder();
  let out = '';
  let current = '';
  for (const char of line) {
    const limit = out ? 74 : 75;
    if (bytes.encode(current + char).length > limit) {
      out += (out ? '\r\n ' : '') + current;
      current = '';
    }
    current += char;
  }
  return out ? `${out}\r\n ${current}` : current;
}

export function vcard(contact) {
  const parts = (contact.name || '').trim().split(/\s+/);
  const family = parts.length > 1 ? parts.pop() : '';
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `FN:${escape(contact.name || '')}`,
    `N:${escape(family)};${escape(parts.join(' '))};;;`,
  ];
  if (contact.company) lines.push(`ORG:${escape(contact.company)}`);
  if (contact.title) lines.push(`TITLE:${escape(contact.title)}`);
  if (contact.email) lines.push(`EMAIL;TYPE=INTERNET:${escape(contact.email)}`);
  if (contact.phone) lines.push(`TEL:${escape(contact.phone)}`);
  if (contact.url) lines.push(`URL:${contact.url}`);
  if (contact.tags?.length)
    lines.push(`CATEGORIES:${contact.tags.map(escape).join(',')}`);
  if (contact.notes) lines.push(`NOTE:${escape(contact.notes)}`);
  lines.push(`UID:urn:uuid:${contact.id}`, 'END:VCARD');
  return lines.map(fold).join('\r\n') + '\r\n';
}
