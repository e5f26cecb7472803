// The signed-out screen says who may sign up here: anyone (open), whoever has an invite link
// (invite), or nobody new (closed). Offline it draws as the server last said, else as open.
import { request } from './api.js';
import { $ } from './dom.js';

const KEPT = 'hallway-signup-mode';
const LEAD = {
  open: 'Sign in, or create an account with your name.',
  invited:
    'You have an invite: create your account with your name, or sign in.',
  none: 'Sign in to your account.',
};
const NOTE = {
  closed:
    'This Hallway takes no new sign-ups. Ask its operator for an account.',
  invite:
    'New here? You need an invite link from someone who uses this Hallway.',
};

// The token of the invite link this page was opened with (/join/<token>), else null.
export function inviteToken() {
  const [, first, token] = location.pathname.split('/');
  return first === 'join' && token ? token : null;
}

// The mode the server last told this device (open until it has said).
export const signUpMode = () => localStorage.getItem(KEPT) || 'open';

// Draw the signed-out screen at once, then again when the server says its mode.
export function showSignUp() {
  draw(signUpMode());
  askMode().then(draw, () => {});
}

// Ask the server who may sign up (kept for offline); rejects when it does not answer.
export async function askMode() {
  const { mode } = await request('GET', '/auth/signup');
  localStorage.setItem(KEPT, mode);
  return mode;
}

function draw(mode) {
  const form = $('#account');
  const invited = Boolean(inviteToken()) && mode !== 'closed';
  const open = mode === 'open' || invited;
  for (const part of form.querySelectorAll('[data-signup-only]'))
    part.hidden = !open;
  form.querySelector('[data-signup-lead]').textContent =
    LEAD[invited ? 'invited' : open ? 'open' : 'none'];
  const note = form.querySelector('[data-signup-note]');
  note.textContent = open ? '' : NOTE[mode];
  note.hidden = open;
  // With an invite, creating the account is what the page is for: first, and the Enter key's.
  const signIn = form.querySelector('[value="login"]');
  const register = form.querySelector('[value="register"]');
  const actions = signIn.parentNode;
  if (invited) actions.prepend(register);
  else actions.append(register);
  register.classList.toggle('secondary', !invited);
  signIn.classList.toggle('secondary', invited);
}
