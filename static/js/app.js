// Wires the shell: who is signed in, the account form, sign-out.
import { ApiError, rememberCsrf, request } from './api.js';

const $ = (selector) => document.querySelector(selector);

function show(user) {
  $('#signed-out').hidden = Boolean(user);
  $('#signed-in').hidden = !user;
  $('#nav').hidden = !user;
  $('#greeting').textContent = user ? `Hello, ${user.name}` : '';
  $('#status').textContent = navigator.onLine ? 'Online' : 'Offline';
}

async function start() {
  try {
    const me = await request('GET', '/me');
    rememberCsrf(me.csrf_token);
    show(me);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    show(null);
  }
}

async function submitAccount(event) {
  event.preventDefault();
  const form = event.target;
  const errorLine = form.querySelector('[data-error]');
  const data = Object.fromEntries(new FormData(form));
  const action = event.submitter?.value || 'login';
  errorLine.textContent = '';
  try {
    const body = { email: data.email, password: data.password };
    if (action === 'register') body.name = data.name;
    const me = await request('POST', `/auth/${action}`, body);
    rememberCsrf(me.csrf_token);
    form.reset();
    show(me);
  } catch (error) {
    errorLine.textContent = error.message;
  }
}

async function signOut() {
  await request('POST', '/auth/logout');
  rememberCsrf(null);
  show(null);
}

$('#account').addEventListener('submit', submitAccount);
$('#sign-out').addEventListener('click', signOut);
window.addEventListener('online', () => ($('#status').textContent = 'Online'));
window.addEventListener('offline', () => ($('#status').textContent = 'Offline'));
start();
