// My card's entry point: the screen's code (my-card.js) loads when it is first needed, like the
// scanner's, and is precached for offline use all the same.
import { $ } from '../dom.js';

const screen = () => import('./my-card.js');

export const showCard = async () => (await screen()).showCard();

export function bindCard() {
  // My introduction is one tap away on every screen, not only on My card.
  $('#intro-button').addEventListener('click', async () =>
    (await screen()).showIntro(),
  );
}
