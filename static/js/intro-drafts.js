// The double opt-in's two messages, in words a person would write: first I ask the person
// whether they want the introduction (the other person hears nothing yet), then, once they
// agree, the introduction itself to both. Why they should meet is the user's own sentence, on
// its own line, never pasted mid-sentence.
import { firstName } from './words.js';

// "Linus Torvalds, Fellow at Linux Foundation" (as much of it as the card has).
function described(contact) {
  const role = [contact.title, contact.company].filter(Boolean).join(' at ');
  return role ? `${contact.name}, ${role}` : contact.name;
}

// What the user typed, as a sentence of its own: a capital first letter and a full stop.
function sentence(note) {
  const text = (note || '').trim();
  if (!text) return '';
  const capital = text[0].toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

function mailto(emails, subject, body) {
  const to = emails
    .map((e) => (e || '').trim())
    .filter(Boolean)
    .map(encodeURIComponent)
    .join(',');
  if (!to) return null;
  return `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

function letter(lines, myName) {
  return [...lines, '', 'Best,', myName || ''].join('\n').trim();
}

// To `person` alone: would they like to meet `other`? {subject, body, mailto} (mailto is null
// without an email: share or copy the body instead).
export function askDraft(person, other, { note, myName } = {}) {
  const first = firstName(person.name);
  const theirs = firstName(other.name) || other.name;
  const why = sentence(note);
  const subject = `Would you like to meet ${other.name}?`;
  const body = letter(
    [
      first ? `Hi ${first},` : 'Hi,',
      '',
      `I'd like to introduce you to ${described(other)}.`,
      ...(why ? [why] : []),
      '',
      `Would you like me to? If so, I'll write to you both. If not, no problem at all: ${theirs} won't know I asked.`,
    ],
    myName,
  );
  return { subject, body, mailto: mailto([person.email], subject, body) };
}

// To both: the introduction, once `person` said yes. mailto holds whichever emails the cards have.
export function introductionDraft(person, other, { note, myName } = {}) {
  const one = firstName(person.name) || person.name;
  const two = firstName(other.name) || other.name;
  const why = sentence(note);
  const subject = `${one}, meet ${two}`;
  const body = letter(
    [
      `Hi ${one} and ${two},`,
      '',
      `${one}, meet ${described(other)}.`,
      `${two}, meet ${described(person)}.`,
      ...(why ? ['', why] : []),
      '',
      "I'll let you two take it from here.",
    ],
    myName,
  );
  return {
    subject,
    body,
    mailto: mailto([person.email, other.email], subject, body),
  };
}
