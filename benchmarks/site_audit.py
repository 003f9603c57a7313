"""Audit a served archive's pages the way issue 27 measures them: axe-core (vendored at
/assets/vendor/axe.min.js) in Debian's Chromium at 1280 px and at 390 px, serious and critical
violations counted; and Lighthouse 12.2.3 (npm, run with npx against the same Chromium, its mobile
defaults) for accessibility, best practices and performance. One markdown table on stdout.

    python3 -m extract build --corpus corpus --db /tmp/a/csp.db -q
    python3 -m extract serve --db /tmp/a/csp.db --port 8627 &
    python3 benchmarks/site_audit.py --site http://127.0.0.1:8627 > benchmarks/site_audit_27.md

Lighthouse's performance score depends on the machine's load: on a shared machine run it alone.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: home, a topic, a trend and a report page of the bundled archive
PAGES = (
    "/",
    "/-/topic/all%20recorded%20crime",
    "/-/trend?line=all%20recorded%20crime%7CWinchester%20district%7Crecorded%20crimes",
    "/-/report/2021-22-strategic-assessment",
)
WIDTHS = (1280, 390)
CATEGORIES = ("accessibility", "best-practices", "performance")


@dataclass(frozen=True)
class AuditSettings:
    lighthouse: str = "lighthouse@12.2.3"
    chromium: str = "/usr/bin/chromium"
    chrome_flags: str = "--headless=new --no-sandbox --disable-gpu"
    timeout_s: int = 240


def axe_counts(site: str, paths: list[str], settings: AuditSettings) -> dict[tuple[str, int], list[str]]:
    """For each page and width: the ids of axe's serious and critical violations."""
    from playwright.sync_api import sync_playwright

    out: dict[tuple[str, int], list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=settings.chromium, headless=True, args=["--no-sandbox"])
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 800})
            for path in paths:
                page.goto(site + path)
                page.add_script_tag(url="/assets/vendor/axe.min.js")
                violations = page.evaluate("async () => (await axe.run()).violations")
                out[(path, width)] = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
            page.close()
        browser.close()
    return out


def lighthouse_scores(site: str, path: str, settings: AuditSettings) -> dict[str, int | None]:
    """Lighthouse's scores (0–100) of one page, mobile; None for a category it could not score."""
    npx = shutil.which("npx")
    if npx is None:
        return {c: None for c in CATEGORIES}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            npx,
            "--yes",
            settings.lighthouse,
            site + path,
            f"--chrome-path={settings.chromium}",
            f"--chrome-flags={settings.chrome_flags}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=settings.timeout_s)
        if done.returncode != 0 or not report.exists():
            print(f"lighthouse failed on {path}: {done.stderr.strip()[-300:]}", file=sys.stderr)
            return {c: None for c in CATEGORIES}
        data = json.loads(report.read_text())
    scores = {}
    for category in CATEGORIES:
        score = data["categories"][category]["score"]
        scores[category] = None if score is None else round(score * 100)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, help="the served archive, http://127.0.0.1:8627")
    parser.add_argument("--path", action="append", help="a page to audit (repeat); default: home, topic, trend, report")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args(argv)
    settings = AuditSettings()
    paths = args.path or list(PAGES)
    axe = axe_counts(args.site, paths, settings)
    print("| page | axe serious+critical 1280 px | axe 390 px | Lighthouse a11y | best practices | performance |")
    print("|---|---|---|---|---|---|")
    failed = False
    for path in paths:
        scores = {c: None for c in CATEGORIES} if args.no_lighthouse else lighthouse_scores(args.site, path, settings)
        wide, narrow = axe[(path, 1280)], axe[(path, 390)]
        cells = [", ".join(v) or "0" for v in (wide, narrow)]
        cells += ["–" if scores[c] is None else str(scores[c]) for c in CATEGORIES]
        print(f"| `{path}` | " + " | ".join(cells) + " |")
        failed |= bool(wide or narrow)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
