"""Draw the README's screenshots of a running dashboard with Debian's chromium, at 1920x1080.

    .venv/bin/python scripts/readme_pictures.py --url http://127.0.0.1:8501 --out docs

Run it against the shipped demo data (the README's first command) so the pictures show what a
new user sees. The paper page is drawn from the PDF instead (see the README).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUARTER = "quarter=Q1+2021%2F22"
PICTURES = {  # file -> (path and query, what must be on screen before the shot)
    "overview.png": (f"?{QUARTER}", "text=All recorded crime"),
    "explorer.png": (f"explorer?priority=8.+Anti-social+behaviour&{QUARTER}", "[data-testid='stVegaLiteChart']"),
    "panel.png": (f"?mode=panel&{QUARTER}", "#panel-deck .slide:not([hidden])"),
}


def settle(page) -> None:
    """Streamlit has finished its run and the charts have drawn."""
    page.wait_for_timeout(500)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
    page.wait_for_timeout(1500)


def show_panel_priority(page, priority_id: int) -> None:
    """Step the deck to a priority's screen with the keyboard, as a presenter would."""
    for _ in range(40):
        if page.is_visible(f"#screen-priority-{priority_id}"):
            return
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    raise SystemExit(f"Panel mode never showed priority {priority_id}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for name, (target, ready) in PICTURES.items():
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(f"{args.url.rstrip('/')}/{target}")
                page.wait_for_selector(ready, timeout=60000)
                settle(page)
                if name == "panel.png":
                    page.keyboard.press("p")  # pause the rotation while stepping
                    show_panel_priority(page, 11)
                    page.wait_for_timeout(800)
                page.screenshot(path=str(args.out / name))
                print(f"wrote {args.out / name}")
                page.close()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
