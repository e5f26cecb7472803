// A long grouped list drawn a screenful at a time: rows and headings have fixed heights, a
// spacer as tall as everything holds the page's scroll, and only what is near the viewport is
// in the document (rows still in view are kept as they are while scrolling).
import { h } from './dom.js';

const OVERSCAN = 8; // rows drawn beyond each edge of the viewport

export class GroupedWindow {
  // renderRow(entry) -> an <li>; drawn rows carry aria-setsize / aria-posinset.
  constructor(container, renderRow) {
    this.spacer = h('div', { class: 'people-window' });
    this.slice = h('div', { class: 'people-slice' });
    this.spacer.append(this.slice);
    container.replaceChildren(this.spacer);
    this.renderRow = renderRow;
    this.rows = new Map(); // entry -> its drawn <li>
    this.size = { row: 76, heading: 44, headingGap: 16 }; // px, measured once drawn
    this.items = [];
    this.drawn = '';
    let queued = false;
    const later = () => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        this.draw();
      });
    };
    window.addEventListener('scroll', later, { passive: true });
    window.addEventListener('resize', later);
    this.later = later;
  }

  // groups: [{ title, entries }], in order; fresh: rows must be redrawn (their data changed).
  show(groups, { fresh = false } = {}) {
    if (fresh) this.rows.clear();
    this.groups = groups;
    this.count = groups.reduce((sum, group) => sum + group.entries.length, 0);
    this.layout();
    this.drawn = '';
    this.draw();
    this.later(); // once on screen: measure, and draw what the viewport shows
  }

  // Where each heading and row sits (headings carry their list's two borders). Items are a
  // heading's title or a row's entry, as they are: no object per row, for 100,000 rows.
  layout() {
    const { row, heading, headingGap } = this.size;
    const items = new Array(this.count + this.groups.length);
    const tops = new Float64Array(items.length);
    let y = 0;
    let at = 0;
    for (const [index, group] of this.groups.entries()) {
      tops[at] = y;
      items[at++] = group.title;
      y += (index ? headingGap : 0) + heading + 1;
      for (const entry of group.entries) {
        tops[at] = y;
        items[at++] = entry;
        y += row;
      }
      y += 1;
    }
    this.items = items;
    this.tops = tops;
    this.spacer.style.height = `${y}px`;
  }

  // The first item whose bottom is below y.
  at(y) {
    let low = 0;
    let high = this.tops.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.tops[middle] <= y) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  draw() {
    if (!this.items.length) {
      this.slice.replaceChildren();
      this.drawn = '';
      return;
    }
    const onScreen = this.spacer.isConnected;
    const top = onScreen ? -this.spacer.getBoundingClientRect().top : 0;
    const height = onScreen ? window.innerHeight : 1000;
    const first = Math.max(0, this.at(Math.max(0, top)) - OVERSCAN);
    const last = Math.min(
      this.items.length,
      this.at(Math.max(0, top + height)) + OVERSCAN + 1,
    );
    const key = `${first}:${last}`;
    if (key === this.drawn) return;
    this.drawn = key;
    this.fill(first, last);
    if (onScreen && this.measure()) {
      this.layout();
      this.drawn = '';
      this.draw();
    }
  }

  fill(first, last) {
    const focused = this.slice.contains(document.activeElement)
      ? document.activeElement.getAttribute('href')
      : null;
    const parts = [];
    const kept = new Map();
    let list = null;
    let position = this.positionAt(first);
    for (let index = first; index < last; index += 1) {
      const item = this.items[index];
      if (typeof item === 'string') {
        parts.push(h('h2', { class: `group${index ? '' : ' first'}` }, item));
        list = null;
        continue;
      }
      if (!list) {
        list = h('ul', {
          class: `list people${parts.length ? '' : ' continued'}`,
        });
        parts.push(list);
      }
      const li = this.rows.get(item) || this.renderRow(item);
      li.setAttribute('aria-setsize', String(this.count));
      li.setAttribute('aria-posinset', String(++position));
      kept.set(item, li);
      list.append(li);
    }
    this.rows = kept;
    this.slice.style.transform = `translateY(${this.tops[first]}px)`;
    this.slice.replaceChildren(...parts);
    if (focused)
      this.slice
        .querySelector(`a[href="${CSS.escape(focused)}"]`)
        ?.focus({ preventScroll: true });
  }

  // How many rows come before item `index` (headings are not counted).
  positionAt(index) {
    let headings = 0;
    let start = 0;
    for (const group of this.groups) {
      if (start >= index) break;
      headings += 1;
      start += 1 + group.entries.length;
    }
    return index - headings;
  }

  // Heights as drawn (fonts, zoom); true when they differ from the ones laid out.
  measure() {
    const row = this.slice.querySelector('li')?.getBoundingClientRect().height;
    const heading = this.slice.querySelector('h2');
    const size = { ...this.size };
    if (row) size.row = row;
    if (heading) {
      const style = getComputedStyle(heading);
      size.heading =
        heading.getBoundingClientRect().height +
        Number.parseFloat(style.marginBottom);
      if (!heading.classList.contains('first'))
        size.headingGap = Number.parseFloat(style.marginTop);
    }
    const changed = Object.keys(size).some(
      (name) => Math.abs(size[name] - this.size[name]) > 0.25,
    );
    this.size = size;
    return changed;
  }
}
