"""A person's contacts in and out of Hallway: import from the files other programs write (vCard,
LinkedIn, Google and Outlook CSV, Hallway's own CSV and JSON) and export everything they own.

- `entries.py`: what every reader yields, one `Entry` per contact found in a file.
- `vcards.py`: reading and writing vCard files (2.1, 3.0, 4.0).
- `tables.py`: reading the CSV files of LinkedIn, Google, Outlook and Hallway; writing Hallway's.
- `account.py`: `all.json`, everything an account owns, out and back in (docs/all-json.md);
  `restore.py` puts its records into an account, `answers.py` counts what that did.
- `importing.py`: recognising a file, matching duplicates, the preview and the counts.
- `routes.py`: `POST /api/v1/import/contacts` and `GET /api/v1/export/...`."""
