// Follow-ups: overdue, today, upcoming; done in one tap, offline too.
import { $, h } from '../dom.js';
import { get, list, save } from '../store.js';

const KIND = {
  thank_you: 'Thank-you',
  check_back: 'Check back',
  keep_in_touch: 'Keep in touch',
  custom: 'Follow up',
};

function when(followup, now) {
  const due = new Date(followup.snoozed_until || followup.due_at);
  const today = now.toDateString() === due.toDateString();
  if (due < now && !today) return 'overdue';
  return today ? 'today' : 'upcoming';
}

export async function showFollowups() {
  const now = new Date();
  const open = (await list('followup'))
    .filter((f) => !f.done_at)
    .sort((a, b) =>
      (a.snoozed_until || a.due_at || '').localeCompare(
        b.snoozed_until || b.due_at || '',
      ),
    );
  const items = [];
  for (const followup of open) {
    const contact = followup.contact_id
      ? await get('contact', followup.contact_id)
      : null;
    const label = `${KIND[followup.kind] || 'Follow up'}: ${contact?.name || 'someone'}`;
    items.push(
      h(
        'li',
        { class: when(followup, now) },
        h(
          'span',
          {},
          label,
          h(
            'span',
            { class: 'muted' },
            ` · ${when(followup, now)} · ${new Date(followup.due_at).toLocaleDateString()}`,
          ),
        ),
        contact ? h('a', { href: `/people/${contact.id}` }, 'Open') : null,
        h(
          'button',
          {
            type: 'button',
            'aria-label': `Done: ${label}`,
            onclick: () =>
              save('followup', followup.id, {
                done_at: new Date().toISOString(),
              }),
          },
          'Done',
        ),
      ),
    );
  }
  $('#followup-list').replaceChildren(...items);
  $('[data-screen="followups"] [data-empty]').hidden = items.length > 0;
}
