// The double opt-in's two messages, in words a person would write: first I ask the person
// whether they want the introduction (the other person hears nothing yet), then, once they
// agree, the introduction itself to both. Why they should meet is the user's own sentence, on
// its own line, never pasted mid-sentence. A draft keeps its lines as parts (words of ours, and
// {value} typed by the user) so a preview can isolate each value (see draftLines).
import { h } from './dom.js';
import { firstName } from './words.js';

const value = (text) => ({ value: text });

// "Linus Torvalds, Fellow at Linux Foundation" (as much of it as the card has), as parts.
function described(contact) {
  const role = [contact.title, contact.company].filter(Boolean).map(value);
  const parts = [value(contact.name)];
  if (role.length) parts.push(', ', role[0]);
  if (role.length > 1) parts.push(' at ', role[1]);
  return parts;
}

// What the user typed, as a sentence of its own: a capital first letter and a full stop.
function sentence(note) {
  const text = (note || '').trim();
  if (!text) return '';
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

const text = (parts) =>
  parts.map((part) => (typeof part === 'string' ? part : part.value)).join('');

function mailto(emails, subject, body) {
  const to = emails
    .map((e) => (e || '').trim())
    .filter(Boolean)
    .map(encodeURIComponent)
    .join(',');
  if (!to) return null;
  return `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

// {subject, body, lines, mailto}: `lines` are the body's lines as parts.
function letter(subject, lines, emails, myName) {
  const all = [...lines, [], ['Best,'], [value(myName || '')]];
  while (all.length && !text(all.at(-1))) all.pop();
  const body = all.map(text).join('\n');
  return { subject, body, lines: all, mailto: mailto(emails, subject, body) };
}

const greeting = (name) => {
  const first = firstName(name);
  return first ? ['Hi ', value(first), ','] : ['Hi,'];
};

// To `person` alone: would they like to meet `other`? (mailto is null without an email: share
// or copy the body instead.)
export function askDraft(person, other, { note, myName } = {}) {
  const theirs = firstName(other.name) || other.name;
  const why = sentence(note);
  return letter(
    `Would you like to meet ${other.name}?`,
    [
      greeting(person.name),
      [],
      ["I'd like to introduce you to ", ...described(other), '.'],
      ...(why ? [[value(why)]] : []),
      [],
      [
        "Would you like me to? If so, I'll write to you both. If not, no problem at all: ",
        value(theirs),
        " won't know I asked.",
      ],
    ],
    [person.email],
    myName,
  );
}

// To both: the introduction, once `person` said yes. mailto holds whichever emails the cards have.
export function introductionDraft(person, other, { note, myName } = {}) {
  const one = firstName(person.name) || person.name;
  const two = firstName(other.name) || other.name;
  const why = sentence(note);
  return letter(
    `${one}, meet ${two}`,
    [
      ['Hi ', value(one), ' and ', value(two), ','],
      [],
      [value(one), ', meet ', ...described(other), '.'],
      [value(two), ', meet ', ...described(person), '.'],
      ...(why ? [[], [value(why)]] : []),
      [],
      ["I'll let you two take it from here."],
    ],
    [person.email, other.email],
    myName,
  );
}

// A draft as it reads, for a preview: one line each, every typed value in its own <bdi>.
export function draftLines(draft) {
  return draft.lines.map((parts) =>
    h(
      'span',
      { class: 'draft-line' },
      parts.map((part) =>
        typeof part === 'string' ? part : h('bdi', {}, part.value),
      ),
    ),
  );
}
