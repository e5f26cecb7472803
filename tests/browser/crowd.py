"""A crowd on the device: many contacts written straight into the app's IndexedDB (as if synced
long ago), for the People screen's tests and benchmark."""

FIRST = [
    "Ada",
    "Grace",
    "José",
    "Margaret",
    "Katherine",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Müller",
    "Hamilton",
    "Johnson",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
]

#: Writes n contacts in one transaction; person i met i minutes after New Year 2026 (so the
#: last one is the newest).
SEED = """async ([n, first, last]) => {
  const { dbPromise } = await import('/static/js/localdb.js');
  const { unwrap } = await import('/static/vendor/idb/index.js');
  const tx = unwrap(await dbPromise).transaction('contact', 'readwrite');
  const store = tx.objectStore('contact');
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i += 1) {
    const met = new Date(start + i * 60000).toISOString();
    store.put({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      version: 1,
      name: `${first[i % 10]} ${last[Math.floor(i / 10) % 10]} ${i}`,
      company: `Company ${i % 997}`,
      notes: `Met at booth ${i % 53}`,
      tags: [`t${i % 20}`],
      met_at: met,
      created_at: met,
      updated_at: met,
    });
  }
  await done;
}"""


def contact_id(i):
    """The id of the crowd's person i (a UUID, as the server wants)."""
    return f"00000000-0000-4000-8000-{i:012d}"


def person(i):
    """What the crowd's person i is called and what a search finds them by."""
    name = f"{FIRST[i % 10]} {LAST[i // 10 % 10]} {i}"
    return {
        "name": name,
        "text": f"{name} Company {i % 997} Met at booth {i % 53} t{i % 20}".lower(),
    }


def seed(page, count):
    """Put `count` contacts on the device the page is signed in on."""
    page.evaluate(SEED, [count, FIRST, LAST])


def matching(count, query):
    """Names of the crowd that a search for `query` should list (every word, anywhere), newest first."""
    words = query.lower().split()
    found = (person(i) for i in range(count - 1, -1, -1))
    return [p["name"] for p in found if all(word in p["text"] for word in words)]
