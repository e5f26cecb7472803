"""bench/offline.py's shell budget counts what a first visit loads: the app's first module and
what it imports, not the screens loaded when first shown (import()) nor the scanner's decoder."""

from bench.offline import STATIC_IMPORT, startup_modules


def test_the_shell_holds_what_the_app_imports_and_what_that_imports():
    modules = startup_modules()
    assert modules[0] == "js/app.js" and len(modules) == len(set(modules))
    # app.js's own imports, what they import in turn, and the vendored library under them
    for module in ("js/store.js", "js/screens/people.js", "js/localdb.js", "vendor/idb/index.js"):
        assert module in modules


def test_a_screen_loaded_when_first_shown_stays_out():
    modules = startup_modules()
    for lazy in ("scan", "person", "research", "prep", "events", "contact-import"):
        assert f"js/screens/{lazy}.js" not in modules


def test_the_imports_are_read_however_they_are_written():
    source = """import { a,
  b } from './one.js';
import './two.js';
export { c } from "../three.js";
const lazy = () => import('./four.js');
// import nothing from './five.js' in a comment that is not a statement
"""
    assert STATIC_IMPORT.findall(source) == ["./one.js", "./two.js", "../three.js"]
