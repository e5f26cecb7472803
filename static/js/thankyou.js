// Sending the thank-you: by email, or shared or copied when there is no email. Sending it (or
// logging "Emailed", "Called" or "Messaged") marks the open thank-you done at once, with Undo.
// Loaded on first use.
import { $, h, notify } from './dom.js';
import { sendControls } from './draft-send.js';
import { thankYouDraft } from './phrasing.js';
import { spokenFollowup } from './plans.js';
import { markDone } from './screens/followups.js';
import { get, list, newId, save, saveAll } from './store.js';
import { firstName } from './words.js';

const SENT = {
  email: 'by email',
  share: '(note shared)',
  copy: '(note copied)',
};

async function openThankYou(contactId) {
  return (await list('followup')).find(
    (f) => f.contact_id === contactId && f.kind === 'thank_you' && !f.done_at,
  );
}

// Log an interaction that sends the thank-you (emailed, called, messaged: `how` is "by email"),
// in the same write as the open thank-you's done, so the server, which closes the thank-you on
// such an interaction too, never sees one without the other; the notice offers Undo as markDone
// does. Resolves true when a thank-you was open.
export async function logThankYou(interaction, how) {
  const followup = await openThankYou(interaction.contact_id);
  const writes = [{ kind: 'interaction', id: newId(), fields: interaction }];
  if (followup)
    writes.push({
      kind: 'followup',
      id: followup.id,
      fields: { done_at: interaction.at },
    });
  await saveAll(writes);
  if (!followup) return false;
  const name = (await get('contact', interaction.contact_id))?.name || 'them';
  notify(`Done: ${spokenFollowup(followup, name)} ${how}.`, {
    id: 'followup',
    action: 'Undo',
    onAction: () => save('followup', followup.id, { done_at: null }),
  });
  return true;
}

// Mark the contact's open thank-you done ("Done: thank-you to Grace Hopper by email.", with
// Undo); `how` ends the notice. Resolves true when there was one open.
export async function thankYouSent(contactId, how) {
  const followup = await openThankYou(contactId);
  if (!followup) return false;
  const name = (await get('contact', contactId))?.name || 'them';
  await markDone(followup, `${spokenFollowup(followup, name)} ${how}`);
  return true;
}

// The person page's thank-you (#thank-you, a link, and #thank-you-hint): the email draft, or,
// without an email, a line that says so with Share (where the browser can) and Copy buttons.
// `names`: {myName, eventName, promises}.
export function showThankYou(contact, names) {
  const draft = thankYouDraft(contact, names);
  const link = $('#thank-you');
  const hint = $('#thank-you-hint');
  link.hidden = !draft.mailto;
  link.href = draft.mailto || '#';
  link.onclick = () => thankYouSent(contact.id, SENT.email);
  hint.hidden = Boolean(draft.mailto);
  if (draft.mailto) return;
  const first = firstName(contact.name) || 'them';
  hint.replaceChildren(
    h('span', {}, `No email for ${first}: share or copy the note instead.`),
    h(
      'span',
      { class: 'actions' },
      ...sendControls(draft, {
        primary: false,
        sent: (how) => thankYouSent(contact.id, SENT[how]),
      }),
    ),
  );
}
