// RFC 4122 version 5 ids (SHA-1 of a namespace and a name), as Python's uuid.uuid5 makes them:
// a record the server and the device both name from what it is about is one record.
export async function uuid5(namespace, name) {
  const space = Uint8Array.from(
    namespace.replaceAll('-', '').match(/../g),
    (byte) => parseInt(byte, 16),
  );
  const text = new TextEncoder().encode(name);
  const data = new Uint8Array(space.length + text.length);
  data.set(space);
  data.set(text, space.length);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', data));
  hash[6] = (hash[6] & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8] & 0x3f) | 0x80; // the RFC 4122 variant
  const hex = [...hash.slice(0, 16)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}
