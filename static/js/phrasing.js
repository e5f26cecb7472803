// The thank-you draft, in sentences built from what the user typed in a hurry ("Send deck and
// metrics"), never pasted mid-sentence as typed. Robust over clever: a phrase no rule fits is
// quoted, not rewritten. Loaded with the person page's thank-you, not at start-up.
import { morningOf } from './plans.js';
import { firstName } from './words.js';

// Verbs a promise usually starts with; anything else is taken for a thing ("deck + pricing").
const VERBS = new Set(
  `add answer arrange ask book bring build call check come confirm connect dig do draft email
  find fix follow forward get give help intro introduce invite join let look loop mail make meet
  message pass phone ping prepare put reach read recommend reply review ring schedule send set
  share show sign talk teach tell test text think try update visit write`.split(
    /\s+/,
  ),
);
// Verbs that take "you" right after them: "send you the deck", "call you about the pilot".
const TO_YOU = new Set(
  'send give show email mail forward bring pass tell teach call phone ring ping text message'.split(
    ' ',
  ),
);
// Verbs whose thing is handed over: a bare noun after them gets "the" ("send you the deck").
const HANDED = new Set(
  'send give show email mail forward bring pass share'.split(' '),
);
// "send over the deck": the particle belongs to the verb, so no "you" goes between them.
const PARTICLES = new Set('over along back across out on up off'.split(' '));
const NO_ARTICLE = new Set(
  `a an the my our your his her their its this that these those some any all both each every
  more no one two three few several it them me us him over along back across out on up off
  about to for with from in into at by of what how why when where whether if`.split(
    /\s+/,
  ),
);

function words(text) {
  return text
    .trim()
    .replace(/[.!;,\s]+$/, '')
    .split(/\s+/)
    .filter(Boolean);
}

// "I will send the deck" / "I'll send the deck" / "will send the deck" / "to send..." -> "send the deck"
function dropWill(list, subject) {
  const start = list.slice(0, 2).join(' ').toLowerCase().replace(/’/g, "'");
  for (const lead of [`${subject} will`, `${subject}'ll`, 'will', 'to']) {
    if (start === lead || start.startsWith(`${lead} `))
      return list.slice(lead.split(' ').length);
  }
  return list;
}

// What the user wrote, as a verb phrase ({verb: true, text: 'send you the deck'}) or a thing.
// `to` is whom the sentence speaks to: "you" in my promises, "me" in theirs.
export function phrase(text, { subject = 'i', to = 'you' } = {}) {
  const list = dropWill(words(text || ''), subject);
  const first = list[0]?.toLowerCase();
  if (!first || !VERBS.has(first)) return { verb: false, text: list.join(' ') };
  const rest = list.slice(1);
  const next = (rest[0] || '').toLowerCase();
  const own = to === 'you' ? /^(you|your|yours)\b/i : /^(me|my|mine|us|our)\b/i;
  const named = rest.some((w) => own.test(w));
  const plain =
    !named &&
    !PARTICLES.has(next) &&
    !rest.some((w) => /^(to|it|them)$/i.test(w));
  let out = [first, ...rest];
  if ((first === 'intro' || first === 'introduce') && !named)
    out = ['introduce', to, ...(next === 'to' ? rest : ['to', ...rest])];
  else if (plain && rest.length) {
    const bare = !NO_ARTICLE.has(next) && /^[a-z]/.test(rest[0]);
    const thing = HANDED.has(first) && bare ? ['the', ...rest] : rest;
    if (TO_YOU.has(first)) out = [first, to, ...thing];
    else if (first === 'share' && !rest.some((w) => /^with$/i.test(w)))
      out = [first, ...thing, 'with', to];
    else if (first === 'connect' && next !== 'with')
      out = [first, to, 'with', ...rest];
  }
  return { verb: true, text: out.join(' ') };
}

// "The deck" reads "the deck" mid-sentence; a name ("Stripe credits") keeps its capital.
function midSentence(text) {
  const first = text.split(' ')[0].toLowerCase();
  return NO_ARTICLE.has(first) ? first + text.slice(first.length) : text;
}

// The sentence for what I promised: "I'll send you the deck and metrics as promised."
export function myPromise(text) {
  const said = phrase(text);
  if (!said.text) return '';
  if (!said.verb) return `As promised: ${said.text}.`;
  const promised = /\bpromised\b/i.test(said.text) ? '' : ' as promised';
  return `I'll ${said.text}${promised}.`;
}

// They promised something: "You offered an intro to your platform team." Their words about
// themselves ("their team") become "your team".
export function theirPromise(text) {
  const own = (text || '')
    .replace(/\btheir\b/gi, 'your')
    .replace(/\btheirs\b/gi, 'yours')
    .replace(/\bthem\b/gi, 'you');
  const said = phrase(own, { subject: 'they', to: 'me' });
  if (!said.text) return '';
  return said.verb
    ? `You mentioned you would ${said.text}.`
    : `You offered ${midSentence(said.text)}.`;
}

// The next step on a day: "I'll call you about the pilot on Tuesday 9 December."
export function nextStep(text, day) {
  const said = phrase(text);
  if (said.verb) return `I'll ${said.text} on ${day}.`;
  return said.text
    ? `I'll check back with you on ${day} about ${midSentence(said.text)}.`
    : `I'll check back with you on ${day}.`;
}

// A day in full, for a letter read days later: "Tuesday 8 December" (en-GB).
const longDay = (moment) =>
  new Date(moment).toLocaleDateString([], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  });

// What the thank-you confirms, as [[mine...], [theirs...]] texts: the open promise records when
// the device has them (kept ones need no confirming), else what the card says was promised.
function promised(contact, promises) {
  const open = (promises || []).filter(
    (p) => p.contact_id === contact.id && p.text,
  );
  return ['mine', 'theirs'].map((direction) => {
    const field = direction === 'mine' ? 'i_promised' : 'they_promised';
    const own = open.filter((p) => p.direction === direction);
    if (!own.length) return contact[field] ? [contact[field]] : [];
    return own.filter((p) => !p.kept_at).map((p) => p.text);
  });
}

// The thank-you, in words a person would write: {subject, body, mailto} (mailto is null when the
// person has no email: share or copy the body instead). `promises`: the contact's promise records.
export function thankYouDraft(contact, { myName, eventName, promises } = {}) {
  const first = firstName(contact.name);
  const at = eventName ? ` at ${eventName}` : '';
  const lines = [
    first ? `Hi ${first},` : 'Hi,',
    '',
    `Thank you for the conversation${at}.`,
  ];
  const [mine, theirs] = promised(contact, promises);
  lines.push(...mine.map(myPromise), ...theirs.map(theirPromise));
  if (contact.next_step_due)
    lines.push(
      nextStep(contact.next_step, longDay(morningOf(contact.next_step_due))),
    );
  lines.push('', 'Best,', myName || '');
  const subject = `Great to meet you${at}`;
  const body = lines.join('\n').trim();
  const email = (contact.email || '').trim();
  const mailto = email
    ? `mailto:${encodeURIComponent(email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`
    : null;
  return { subject, body, mailto };
}
