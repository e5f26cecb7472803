// Sending the thank-you: by email, or shared or copied when there is no email; once sent (or
// "Emailed" logged), the open thank-you is offered to be marked done. Loaded on first use.
import { $, h, notify } from './dom.js';
import { thankYouDraft } from './phrasing.js';
import { spokenFollowup } from './plans.js';
import { markDone } from './screens/followups.js';
import { get, list } from './store.js';
import { firstName } from './words.js';

async function openThankYou(contactId) {
  return (await list('followup')).find(
    (f) => f.contact_id === contactId && f.kind === 'thank_you' && !f.done_at,
  );
}

// When the contact has an open thank-you, ask (in a notice that stays: the user may be away in
// the mail app) whether to mark it done. Resolves true when there was one to offer.
export async function offerThankYouDone(contactId) {
  const followup = await openThankYou(contactId);
  if (!followup) return false;
  const name = (await get('contact', contactId))?.name || 'them';
  notify(`Mark the thank-you to ${name} done?`, {
    id: 'followup',
    sticky: true,
    action: 'Mark done',
    onAction: () => markDone(followup, spokenFollowup(followup, name)),
  });
  return true;
}

async function shareOrCopy(contact, draft, how) {
  try {
    if (how === 'share')
      await navigator.share({ title: draft.subject, text: draft.body });
    else await navigator.clipboard.writeText(draft.body);
  } catch (error) {
    if (error.name === 'AbortError') return; // the share sheet was closed
    notify(`Could not ${how} the note: ${error.message}`, {
      id: 'thank-you',
      error: true,
    });
    return;
  }
  if (!(await offerThankYouDone(contact.id)) && how === 'copy')
    notify('Copied the thank-you note.', { id: 'thank-you' });
}

// The person page's thank-you (#thank-you, a link, and #thank-you-hint): the email draft, or,
// without an email, a line that says so with Share (where the browser can) and Copy buttons.
// `names`: {myName, eventName}.
export function showThankYou(contact, names) {
  const draft = thankYouDraft(contact, names);
  const link = $('#thank-you');
  const hint = $('#thank-you-hint');
  link.hidden = !draft.mailto;
  link.href = draft.mailto || '#';
  link.onclick = () => offerThankYouDone(contact.id);
  hint.hidden = Boolean(draft.mailto);
  if (draft.mailto) return;
  const first = firstName(contact.name) || 'them';
  const button = (how, text) =>
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => shareOrCopy(contact, draft, how),
      },
      text,
    );
  hint.replaceChildren(
    h('span', {}, `No email for ${first}: share or copy the note instead.`),
    h(
      'span',
      { class: 'actions' },
      navigator.share ? button('share', 'Share the note') : null,
      button('copy', 'Copy the note'),
    ),
  );
}
