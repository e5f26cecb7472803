// Meeting prep: one person on my list, readable in ten seconds on a phone, offline.
import { $, h, joined } from '../dom.js';
import { getMeta } from '../localdb.js';
import { get } from '../store.js';
import { prefillCapture } from './capture.js';

const STATUS = { to_meet: 'to meet', met: 'met', skip: 'skip' };
let target = null;

function lines(text) {
  const items = text
    .split('\n')
    .map((line) => line.replace(/^\s*[-*•\d.)]+\s*/, '').trim())
    .filter(Boolean);
  return items.length > 1
    ? h('ul', {}, ...items.map((item) => h('li', {}, item)))
    : text;
}

function note(term, text, { asList = false } = {}) {
  if (!text) return [];
  return [h('dt', {}, term), h('dd', {}, asList ? lines(text) : text)];
}

export async function showPrep(id) {
  target = await get('target', id);
  if (!target) return false;
  const event = target.event_id ? await get('event', target.event_id) : null;
  $('[data-screen="prep"] [data-title]').textContent = target.name;
  const role = joined([target.title, target.company], ', ');
  $('#prep-who').replaceChildren(
    ...(role.length ? role : ['No title or company noted']),
  );
  $('#prep-meta').textContent = [
    `priority ${target.priority ?? 3}`,
    STATUS[target.status] || 'to meet',
    event?.name,
  ]
    .filter(Boolean)
    .join(' · ');
  const notes = [
    ...note('Why I’m meeting them', target.why),
    ...note('What I offer', target.offer),
    ...note('My questions', target.questions, { asList: true }),
    ...note('What I want to learn', target.ask),
    ...note('Agenda', target.agenda, { asList: true }),
    ...note('The outcome I want', target.outcome),
  ];
  $('#prep-notes').replaceChildren(...notes);
  $('#prep-empty').hidden = notes.length > 0;
  const card = await getMeta('card');
  $('#prep-intro').textContent =
    card?.intro ||
    'No introduction yet: write your three sentences on My card.';
  $('#prep-edit').href = `/research/${target.id}`;
  return 'prep';
}

export function bindPrep(navigate) {
  // Meeting them now: a capture already linked to them (saving it marks them met).
  $('#prep-capture').addEventListener('click', async () => {
    if (!target) return;
    await prefillCapture({
      contact: {
        name: target.name,
        company: target.company,
        title: target.title,
        event_id: target.event_id,
        target_id: target.id,
      },
      source: 'capture',
    });
    navigate('/capture');
  });
}
