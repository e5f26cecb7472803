// The mapping step of an import: which column of a CSV (or key of a JSON list) holds each field.
// The server's 422 mapping_required answer says what the file has (headers), a guess
// (suggested_mapping), the fields it takes and whether the file is csv or json (format).
import { h } from './dom.js';

// 'column' for a CSV, 'field' for a JSON list (its keys are fields to whoever wrote the file).
export const columnWord = (answer) =>
  answer.format === 'json' ? 'field' : 'column';

const labelOf = (field, labels) =>
  labels[field] || field[0].toUpperCase() + field.slice(1).replace(/_/g, ' ');

function choices(headers, selected) {
  return [
    h('option', { value: '' }, 'Not in the file'),
    ...headers.map((header) =>
      h('option', { value: header, selected: header === selected }, header),
    ),
  ];
}

const menu = (text, name, headers, selected) =>
  h('label', {}, text, h('select', { name }, ...choices(headers, selected)));

// One menu per field, prefilled with the guess; a name may also take a last-name column.
export function mappingMenus(answer, labels = {}) {
  const word = columnWord(answer);
  const suggested = answer.suggested_mapping || {};
  const rows = [];
  for (const field of answer.fields) {
    const guess = [suggested[field] || []].flat();
    rows.push(
      menu(
        `${labelOf(field, labels)} ${word}`,
        field,
        answer.headers,
        guess[0],
      ),
    );
    if (field === 'name')
      rows.push(
        menu(
          `Last name, if in a separate ${word}`,
          'name_last',
          answer.headers,
          guess[1],
        ),
      );
  }
  return rows;
}

// {field: header, name: [first, last]} from the menus (fields left at "Not in the file" are out).
export function readMapping(form, fields) {
  const chosen = {};
  for (const field of fields) {
    const value = form.elements[field]?.value;
    if (value) chosen[field] = value;
  }
  const last = form.elements.name_last?.value;
  if (chosen.name && last && last !== chosen.name)
    chosen.name = [chosen.name, last];
  return chosen;
}
