// The controller: who is signed in, which screen shows, and the service worker.
import {
  bindAccountForm,
  bindSignOut,
  showAccountSettings,
  knownUser,
  refreshUser,
  restoreCsrf,
} from './account.js';
import { $, h, notify, offstage } from './dom.js';
import { downloadMyData, downloadVcard } from './export.js';
import { showIssues } from './issues.js';
import { startSyncing } from './scheduler.js';
import { bindStatus, renderStatus } from './status.js';
import { changes } from './store.js';
import { bindCaptureForm, editPerson, showCapture } from './screens/capture.js';
import { bindPeopleSearch, showPeople } from './screens/people.js';
import { bindCard, showCard } from './screens/card.js';
import { bindReminders } from './reminders.js';
import { showSignUp } from './signup.js';

let signedIn = false;

// A screen that loads when first shown (the worker precaches it, so offline too), bound to the
// page then, once, however many renders ask for it while it loads: what a first visit must
// fetch before the app is ready stays small.
function onFirstShow(load, bind) {
  let loading = null;
  return () =>
    (loading ||= load().then((screen) => {
      bind(screen);
      return screen;
    }));
}
// The scanner (and the payload parser it uses), a person's page, the research list and meeting
// prep, and events (directory, import, report): none is needed to capture offline.
const scanner = onFirstShow(
  () => import('./screens/scan.js'),
  (screen) => screen.bindScan(navigate),
);
const personScreen = onFirstShow(
  () => import('./screens/person.js'),
  (screen) => screen.bindPerson(navigate),
);
const researchScreen = onFirstShow(
  () => import('./screens/research.js'),
  (screen) => screen.bindTargetForm(navigate),
);
const prepScreen = onFirstShow(
  () => import('./screens/prep.js'),
  (screen) => screen.bindPrep(navigate),
);
const eventScreens = onFirstShow(
  () => import('./screens/events.js'),
  (screens) => screens.bindEvents(navigate),
);
// A sheet that loads when its button is first tapped: then it binds itself (that button
// included) and the tap goes to it.
function onFirstOpen(button, load, bind) {
  $(button).addEventListener(
    'click',
    async () => {
      bind(await load());
      $(button).click();
    },
    { once: true },
  );
}
const screens = document.querySelector('#screens');
let syncing = false;

const SCREENS = {
  capture: () => showCapture(),
  people: async (id) => {
    if (id && location.pathname.endsWith('/edit') && (await editPerson(id)))
      return 'capture';
    if (id && location.pathname.endsWith('/introduce')) {
      const { showIntroduce } = await import('./screens/introduce.js');
      if (await showIntroduce(id, navigate)) return 'introduce';
    }
    if (id && (await (await personScreen()).showPerson(id))) return 'person';
    await showPeople();
    return 'people';
  },
  research: async (id) =>
    (location.pathname.endsWith('/prep') &&
      (await (await prepScreen()).showPrep(id))) ||
    (await researchScreen()).showResearch(id),
  events: async (id) => (await eventScreens()).showEvents(id),
  // Follow-ups and Account's settings load on first visit (precached): not needed at start-up.
  followups: async () =>
    (await import('./screens/followups.js')).showFollowups(),
  reconnect: async () => {
    await (await import('./screens/reconnect-list.js')).showReconnect();
    return 'reconnect';
  },
  // The follow-through report: overall, or (/report/<event id>) for one event, under it.
  report: async (id) => {
    await (await import('./screens/follow-through.js')).showFollowThrough(id);
    return 'report';
  },
  card: () => showCard(),
  scan: async () => (await scanner()).showScan(),
  data: async () => {
    const user = await knownUser();
    $('#whoami').replaceChildren(
      ...(user
        ? ['Signed in as ', h('bdi', {}, user.name), ` (${user.email})`]
        : []),
    );
    await showAccountSettings();
  },
};

// What the top bar says on each screen; a screen under another one shows Back to it instead.
const TITLES = {
  capture: 'Capture',
  people: 'People',
  person: 'People',
  research: 'Research',
  prep: 'Research',
  events: 'Events',
  event: 'Events',
  followups: 'Follow-ups',
  reconnect: 'Follow-ups',
  report: 'Follow-ups',
  card: 'My card',
  scan: 'Scan',
  data: 'Account',
  account: 'Hallway',
};
const PARENTS = {
  person: '/people',
  prep: '/research',
  event: '/events',
  reconnect: '/followups',
  report: '/followups',
};
// Where each tab's screens sit, so the tab stays marked on the screens under it.
const TABS = {
  person: 'people',
  prep: 'research',
  events: 'research',
  event: 'research',
  reconnect: 'followups',
  report: 'followups',
};
const scrolls = new Map(); // path -> scroll position, for Back
let rendering = false;

let renders = 0; // a render that finishes after a newer one started shows nothing
let shownScreen = null; // the screen the last render put on show, at dataset.shown's path

async function render() {
  const top = scrolls.get(location.pathname) ?? 0;
  const generation = ++renders;
  // The screen on show drawn again (a sync changed its data) stays where the thumb has it:
  // scrolling meanwhile counts, and nothing scrolls it back.
  const again = location.pathname === document.documentElement.dataset.shown;
  rendering = !again;
  // An invite link is for the signed-out screen; signed in, it leads to Capture.
  if (signedIn && location.pathname.startsWith('/join/'))
    history.replaceState(null, '', '/capture');
  const [, first = 'capture', id] = location.pathname.split('/');
  const name = signedIn ? (SCREENS[first] ? first : 'capture') : 'account';
  if (!signedIn) showSignUp();
  const shown = (signedIn && (await SCREENS[name](id))) || name;
  if (generation !== renders) return;
  const section = $(`[data-screen="${shown}"]`);
  if (section.parentNode !== screens) {
    offstage.append(...screens.children);
    screens.append(section);
  }
  showFrame(shown, section, id);
  if (!again || shown !== shownScreen) window.scrollTo(0, top);
  shownScreen = shown;
  rendering = false;
  document.documentElement.dataset.shown = location.pathname; // this path is on show (tests too)
  if (shown === 'capture' && name === 'capture')
    $('#contact-form').elements.name.focus({ preventScroll: true });
  if (signedIn) showIssues();
}

// Screens opened with an id sit under a list: Back leads there.
const UNDER = {
  capture: (id) => `/people/${id}`,
  introduce: (id) => `/people/${id}`,
  research: () => '/research',
  report: (id) => `/events/${id}`,
};

function showFrame(shown, section, id) {
  const editing = id && UNDER[shown]?.(id);
  const parent = editing || PARENTS[shown];
  const title = editing
    ? section.dataset.barTitle || section.querySelector('h1').textContent
    : parent
      ? TITLES[shown]
      : signedIn
        ? section.querySelector('h1').textContent
        : 'Hallway';
  $('#back-link').hidden = !parent;
  $('#back-link').setAttribute('href', parent || '/capture');
  $('#bar-logo').toggleAttribute('hidden', Boolean(parent));
  $('#bar-title').textContent = title;
  const area = editing ? editing.split('/')[1] : shown; // the list's own screen
  const tab = `/${TABS[area] || area}`;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === tab)
      link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  $('#nav').hidden = !signedIn;
  $('#account-link').hidden = !signedIn;
  $('#intro-button').hidden = !signedIn;
  $('#sync-button').hidden = !signedIn;
}

// A new screen opens at its top; Back (popstate) returns to where the list was.
export function navigate(path) {
  scrolls.delete(path);
  if (location.pathname !== path) {
    history.pushState(null, '', path);
  }
  render();
}

function interceptLinks() {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="/"]');
    if (!link || event.metaKey || event.ctrlKey || link.target) return;
    if (link.hasAttribute('download')) return; // a file, not a screen
    event.preventDefault();
    navigate(link.getAttribute('href'));
  });
  window.addEventListener('popstate', render);
  // In-page sections (an event's overview, people, settings): buttons, so the URL stays put.
  document.addEventListener('click', (event) => {
    const jump = event.target.closest('[data-jump]');
    if (jump) $(`#${jump.dataset.jump}`).scrollIntoView({ behavior: 'smooth' });
  });
  history.scrollRestoration = 'manual';
  const remember = () => {
    if (!rendering) scrolls.set(location.pathname, window.scrollY);
  };
  window.addEventListener('scroll', remember, { passive: true });
}

async function whenSignedIn() {
  signedIn = true;
  announceOffline();
  if (!syncing) {
    syncing = true;
    startSyncing({
      signedOut: () =>
        notify(
          'Your session ended. Sign in again to sync; your changes stay here.',
          { id: 'session', sticky: true },
        ),
    });
  }
  await render();
}

function whenSignedOut() {
  signedIn = false;
  render();
  renderStatus();
}

// Re-render what is on screen when data changes (here, in another tab, or by sync); not under typing.
// Lists and a person's card re-render; a screen holding a form never does, so nothing
// half-typed is ever wiped.
function showsAForm() {
  const [, first = 'capture', id, action] = location.pathname.split('/');
  if (first === 'people' && id && !action) return false; // a person's card: to read, not a form
  return (
    ['', 'capture', 'research', 'card', 'scan'].includes(first) || Boolean(id)
  );
}

function followChanges() {
  const rerender = () => {
    if (!signedIn) return;
    if (showsAForm()) showIssues();
    else render();
  };
  changes.addEventListener('change', rerender);
  new BroadcastChannel('hallway').addEventListener('message', () => {
    renderStatus();
    rerender();
  });
}

// The on-screen keyboard shrinks the page (interactive-widget=resizes-content): when it takes
// more than a quarter of the tallest height seen at this width, the tab bar makes room for Save.
function followKeyboard() {
  let tallest = { width: 0, height: 0 };
  const measure = () => {
    const { innerWidth: width, innerHeight: height } = window;
    if (width !== tallest.width || height > tallest.height)
      tallest = { width, height };
    const typing = document.activeElement?.matches('input, textarea, select');
    document.body.classList.toggle(
      'keyboard',
      Boolean(typing) && height < tallest.height * 0.75,
    );
  };
  window.addEventListener('resize', measure);
  document.addEventListener('focusout', () => setTimeout(measure, 100));
  measure();
}

// "Hallway now works offline", once: when the service worker first controls a signed-in page,
// or at sign-in after that (over the sign-in form, it would hide a field on a small phone).
function announceOffline() {
  if (!signedIn || !navigator.serviceWorker?.controller) return;
  if (localStorage.getItem('hallway-offline-ready')) return;
  localStorage.setItem('hallway-offline-ready', '1');
  notify('Hallway now works offline.', { id: 'offline-ready', sticky: true });
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (hadController) {
      // Never reload under someone typing: offer it instead.
      notify('Hallway was updated.', {
        id: 'update',
        action: 'Reload',
        onAction: () => location.reload(),
      });
    } else announceOffline();
  });
  await navigator.serviceWorker.register('/sw.js', {
    type: 'module',
    scope: '/',
  });
}

async function start() {
  offstage.append(...screens.children);
  interceptLinks();
  bindAccountForm(whenSignedIn);
  bindSignOut(whenSignedOut);
  bindCaptureForm(navigate);
  bindPeopleSearch();
  onFirstOpen(
    '#contact-import-open',
    () => import('./screens/contact-import.js'),
    (sheet) => sheet.bindContactImport(),
  );
  onFirstOpen(
    '#contact-export-open',
    () => import('./screens/contact-export.js'),
    (sheet) => sheet.bindContactExport(),
  );
  bindCard();
  bindReminders();
  $('#download-json').addEventListener('click', downloadMyData);
  $('#download-vcard').addEventListener('click', downloadVcard);
  followChanges();
  bindStatus();
  followKeyboard();
  renderStatus();
  if (await knownUser()) {
    await restoreCsrf();
    await whenSignedIn(); // offline-first: the device's copy renders at once
    performance.mark('hallway:ready');
    const fresh = await refreshUser(); // and a fresh CSRF token when the server answers
    if (fresh === null) whenSignedOut();
  } else {
    whenSignedOut(); // a new device: nothing to show until someone signs in
    performance.mark('hallway:ready');
  }
  registerServiceWorker();
}

start();
