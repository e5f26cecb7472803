// How a draft leaves the app: a mailto: link when there is an email, else Share (where the
// browser can) and Copy. `sent` runs once it went (the link tapped, shared or copied).
import { h, notify } from './dom.js';

async function shareOrCopy(draft, how, sent) {
  try {
    if (how === 'share')
      await navigator.share({ title: draft.subject, text: draft.body });
    else await navigator.clipboard.writeText(draft.body);
  } catch (error) {
    if (error.name === 'AbortError') return; // the share sheet was closed
    notify(`Could not ${how} the note: ${error.message}`, {
      id: 'draft',
      error: true,
    });
    return;
  }
  await sent(how);
}

// [the link] or [Share, Copy] buttons; `label`: the link's words ("Email Grace to ask").
export function sendControls(draft, { label, sent, primary = true }) {
  const kind = primary ? 'button' : 'button secondary';
  if (draft.mailto)
    return [
      h(
        'a',
        { class: kind, href: draft.mailto, onclick: () => sent('email') },
        label,
      ),
    ];
  const button = (how, text) =>
    h(
      'button',
      {
        type: 'button',
        class: how === 'copy' && navigator.share ? 'secondary' : kind,
        onclick: () => shareOrCopy(draft, how, sent),
      },
      text,
    );
  return [
    navigator.share ? button('share', 'Share the note') : null,
    button('copy', 'Copy the note'),
  ].filter(Boolean);
}
