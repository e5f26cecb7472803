// Small DOM helpers. User data only ever goes in through textContent and attributes, never HTML.

// Screens not on show live here, out of the document, so only one screen's fields exist at a time.
export const offstage = document.createElement('div');

export const $ = (selector) =>
  document.querySelector(selector) || offstage.querySelector(selector);

// h('li', {class: 'x', onclick: fn}, 'text', child): an element with text children, no parsing.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(
      child instanceof Node ? child : document.createTextNode(String(child)),
    );
  }
  return element;
}

// Values joined by `separator` ("title at company"), each in its own <bdi>: a right-to-left
// override (U+202E) typed in one cannot reverse the words after it. Empty values are left out.
export function joined(values, separator) {
  return values.filter(Boolean).flatMap((value, index) => {
    const part = h('bdi', {}, value);
    return index ? [separator, part] : [part];
  });
}

// The form's values that differ from `existing` ('' clears a field; a data-list field splits on commas).
export function changedValues(form, existing = {}) {
  const changed = {};
  for (const field of form.elements) {
    if (!field.name || ['submit', 'button', 'file'].includes(field.type))
      continue;
    const value = fieldValue(field);
    const before =
      existing[field.name] ?? ('list' in field.dataset ? [] : null);
    if (JSON.stringify(before) !== JSON.stringify(value))
      changed[field.name] = value;
  }
  return changed;
}

// A field says what its value is: data-list (comma separated, as a list without repeats),
// data-number, a checkbox (true or nothing), else text ('' is nothing).
function fieldValue(field) {
  if (field.type === 'checkbox') return field.checked || null;
  const value = field.value.trim();
  if ('list' in field.dataset) {
    return [
      ...new Set(
        value
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
      ),
    ];
  }
  if ('number' in field.dataset) return value === '' ? null : Number(value);
  return value === '' ? null : value;
}

export function fillForm(form, record = {}) {
  form.reset();
  for (const field of form.elements) {
    if (field.type === 'hidden') field.value = ''; // reset() keeps a hidden field's value
    const value = record[field.name];
    if (
      !field.name ||
      field.type === 'file' ||
      value === null ||
      value === undefined
    )
      continue;
    if (field.type === 'checkbox') field.checked = Boolean(value);
    else field.value = Array.isArray(value) ? value.join(', ') : String(value);
  }
}

// One notice at a time, above the tab bar. A confirmation leaves by itself after a few seconds
// (longer when it offers an action such as Undo); an error ({error: true}) or a {sticky: true}
// notice stays until dismissed, and shows again when a later confirmation has left. A notice
// with the same id replaces the earlier one.
const live = [];
const SECONDS = 4;

export function notify(message, { id, action, onAction, error, sticky } = {}) {
  if (id) live.find((notice) => notice.dataset.id === id)?.dismiss();
  const notice = h(
    'div',
    {
      class: error ? 'notice error' : 'notice',
      role: error ? 'alert' : 'note',
      'data-id': id,
    },
    h('span', {}, message),
  );
  notice.dismiss = () => {
    if (!live.includes(notice)) return;
    clearTimeout(notice.timer);
    live.splice(live.indexOf(notice), 1);
    notice.remove();
    showNewest();
    notice.dispatchEvent(new Event('dismissed'));
  };
  if (action)
    notice.append(
      h(
        'button',
        {
          type: 'button',
          class: 'action',
          onclick: () => {
            onAction?.();
            notice.dismiss();
          },
        },
        action,
      ),
    );
  notice.append(
    h(
      'button',
      { type: 'button', 'aria-label': 'Dismiss', onclick: notice.dismiss },
      '×',
    ),
  );
  if (!error && !sticky)
    notice.timer = setTimeout(
      notice.dismiss,
      (action ? 2.5 : 1) * SECONDS * 1000,
    );
  live.push(notice);
  showNewest();
  return notice;
}

function showNewest() {
  const newest = live.at(-1);
  const notices = $('#notices');
  if (newest && newest.parentNode !== notices) notices.replaceChildren(newest);
}

// An icon from the page's sprite (templates/app.html), for buttons and links made in script.
export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const use = document.createElementNS('http://www.w3.org/2000/svg', 'use');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

export function download(filename, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
