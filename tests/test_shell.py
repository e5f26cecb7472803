"""The app shell names every module its first one imports (modulepreload), so a phone on a slow
network fetches them side by side instead of one round trip per level of imports."""

import re
from pathlib import Path

from pwa.shell import APP_MODULE, STATIC_IMPORT

STATIC = Path(__file__).resolve().parent.parent / "static"


def preloaded(client):
    page = client.get("/capture").get_data(as_text=True)
    return re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)


def test_every_module_the_app_imports_is_preloaded_and_served(client):
    links = preloaded(client)
    assert len(links) == len(set(links))
    # app.js's own imports, what they import in turn (localdb.js comes through store.js), and
    # the vendored library under them
    for module in ("js/store.js", "js/screens/people.js", "js/localdb.js", "vendor/idb/index.js"):
        assert f"/static/{module}" in links
    for link in links:
        with client.get(link) as response:
            assert response.status_code == 200, link


def test_a_module_loaded_when_its_screen_opens_is_not_preloaded(client):
    links = preloaded(client)
    assert "/static/js/screens/scan.js" not in links  # import('./screens/scan.js')
    assert f"/static/{APP_MODULE}" not in links  # the page's own script


def test_the_imports_are_read_however_they_are_written():
    source = """import { a,
  b } from './one.js';
import './two.js';
export { c } from "../three.js";
const lazy = () => import('./four.js');
// import nothing from './five.js' in a comment that is not a statement
"""
    assert STATIC_IMPORT.findall(source) == ["./one.js", "./two.js", "../three.js"]
