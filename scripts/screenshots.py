"""Photograph every screen at 390x844, light and dark, into docs/screenshots/ (shown in the README).

python scripts/screenshots.py            # needs the test extras and Chromium
"""

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, Server  # noqa: E402
from tests.browser.scenes import open_screen, screens, signed_in_with_data  # noqa: E402
from tests.harness import CHROMIUM_ARGS, LiveServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main(names=()):
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp())
    try:
        with LiveServer(folder) as live, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
            page = context.new_page()
            page.goto(live.url)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.screenshot(path=OUT / f"sign-in-{scheme}.png")
            data = signed_in_with_data(page, live.url, Server(live.url), directory=True)
            for name, path, then in screens(data):
                if names and name not in names:
                    continue
                for scheme in ("light", "dark"):
                    page.emulate_media(color_scheme=scheme)
                    open_screen(page, path, then)
                    page.screenshot(path=OUT / f"{name}-{scheme}.png")
            page.goto(f"{live.url}/api/v1/me/card")
            token = page.evaluate("() => JSON.parse(document.body.innerText).public_token")
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.goto(f"{live.url}/c/{token}")
                page.screenshot(path=OUT / f"public-card-{scheme}.png", full_page=True)
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"screenshots in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
