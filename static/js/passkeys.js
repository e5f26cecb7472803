// Passkeys through the browser's WebAuthn API: the server's options in, the authenticator's
// answer out, with the binary parts as base64url both ways.
import { request } from './api.js';
import { fromBase64url, toBase64url } from './base64url.js';

const PASSKEYS = '/auth/passkeys';

export const passkeysSupported = () =>
  Boolean(window.PublicKeyCredential && navigator.credentials);

// Add a passkey of this device to the signed-in account; answers the passkey as listed.
export const addPasskey = () =>
  ceremony(
    'register',
    (options) =>
      navigator.credentials.create({
        publicKey: {
          ...options,
          challenge: fromBase64url(options.challenge),
          user: { ...options.user, id: fromBase64url(options.user.id) },
          excludeCredentials: (options.excludeCredentials || []).map(
            descriptor,
          ),
        },
      }),
    (response) => ({
      clientDataJSON: toBase64url(response.clientDataJSON),
      attestationObject: toBase64url(response.attestationObject),
      transports: response.getTransports?.() || [],
    }),
  );

// Sign in with a passkey this device holds for the site (no email typed); answers who I am.
export const signInWithPasskey = () =>
  ceremony(
    'login',
    (options) =>
      navigator.credentials.get({
        publicKey: {
          ...options,
          challenge: fromBase64url(options.challenge),
          allowCredentials: (options.allowCredentials || []).map(descriptor),
        },
      }),
    (response) => ({
      clientDataJSON: toBase64url(response.clientDataJSON),
      authenticatorData: toBase64url(response.authenticatorData),
      signature: toBase64url(response.signature),
      userHandle: response.userHandle && toBase64url(response.userHandle),
    }),
  );

// The server's options, the browser's prompt with them, and its answer back to the server.
async function ceremony(step, prompt, answer) {
  const options = await request('POST', `${PASSKEYS}/${step}/options`);
  const credential = await prompt(options);
  return request('POST', `${PASSKEYS}/${step}`, {
    credential: {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults?.() || {},
      response: answer(credential.response),
    },
  });
}

// What a person is told when the browser's passkey prompt did not end in a passkey.
export function passkeyTrouble(error) {
  if (error.status) return error.message; // the server's own sentence
  if (error.name === 'NotAllowedError')
    return 'No passkey was used (the prompt was closed, or timed out).';
  if (error.name === 'InvalidStateError')
    return 'This device’s passkey is already on your account.';
  if (error.name === 'SecurityError')
    return 'Passkeys need Hallway on its own web address over https (or localhost).';
  return 'You are offline, or this browser cannot use passkeys here.';
}

const descriptor = (item) => ({ ...item, id: fromBase64url(item.id) });
