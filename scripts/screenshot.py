"""Take the README's picture of the editor's desk: docs/screenshot.png.

Serves the tiny random-weight model with a translation memory built from the bilingual
sample, pastes the sample article with one number changed in its fourth paragraph (so that
sentence goes to the model, with the memory's close match as a suggestion, while the rest
comes from the memory), translates, accepts the suggestion with Alt+1, and shows that
sentence: the suggestion under it, and the numbers check firing on the number the
suggestion still has wrong. Needs Debian's chromium and the `test` extra (Playwright).

    python scripts/screenshot.py [--out docs/screenshot.png]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright import sync_api

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.servers import launch_chromium, start_server, stop_server  # noqa: E402

from tarjama.testing import build_marian_model  # noqa: E402

SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
SAMPLES = SHARED / "samples"
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        model = build_marian_model(
            Path(tmp) / "tiny",
            (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines(),
            (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines(),
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tarjama",
                "memory",
                "import",
                "-q",
                str(SAMPLES / "port-expansion.bilingual.txt"),
            ],
            check=True,
            env={**os.environ, "TARJAMA_HOME": str(home)},  # the home's memory, created
        )
        paragraphs = (SAMPLES / "port-expansion.ar.txt").read_text(encoding="utf-8").splitlines()
        paragraphs[3] = paragraphs[3].replace("4.8 مليون", "5.1 مليون")
        proc, url = start_server(model, home)
        try:
            with sync_api.sync_playwright() as pw:
                browser = launch_chromium(pw)
                page = browser.new_page(viewport={"width": 1280, "height": 1180})
                page.goto(url)
                page.wait_for_selector("#source option", state="attached")
                page.locator("#source-text").fill("\n".join(paragraphs))
                page.click("#translate")
                sentence = page.locator('.target-text[data-unit="3-0"]')
                sync_api.expect(sentence).to_be_visible()
                page.locator("#article-title").fill("Jeddah port expansion")
                sentence.focus()
                page.keyboard.press("Alt+1")  # the memory's suggestion, into the sentence
                notes = page.locator('.row[data-unit="3-0"] .notes li.error')
                sync_api.expect(notes.first).to_be_visible()
                page.evaluate("document.querySelector('#result').scrollIntoView()")
                page.locator('.source .seg[data-key="3-0"]').hover()
                page.screenshot(path=str(args.out))
                browser.close()
        finally:
            stop_server(proc)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
