"""Take screenshots of pages at projector sizes, to look at (not a test).

    python scripts/screenshots.py http://127.0.0.1:8050 / /priority/7 ...
Writes screenshots/<page>-<width>x<height>.png.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SIZES = ((1366, 768), (1920, 1080))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    base, paths = sys.argv[1], sys.argv[2:] or ["/"]
    out = Path(__file__).resolve().parent.parent / "screenshots"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in paths:
                page.goto(base + path)
                page.wait_for_selector("#main", timeout=15000)
                page.wait_for_timeout(800)
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                target = out / f"{name}-{width}x{height}.png"
                page.screenshot(path=str(target), full_page=os.environ.get("FULL") == "1")
                print(target)
        browser.close()


if __name__ == "__main__":
    main()
