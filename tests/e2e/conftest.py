"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

They skip, saying why, where /usr/bin/chromium (or $CHROMIUM_PATH) is missing; CI installs it.
Screenshots go to $SCREENSHOT_DIR (default test-artifacts/screenshots); the run's summary names
that folder and how many screenshots it wrote there.

Each test watches its pages for console errors (`console_errors`) and for Content-Security-Policy
violations (`csp_violations`, from the browser's own `securitypolicyviolation` events, so a
violation is caught even if Chromium stopped logging it); a second person's page, in its own
browser context, is watched into the same lists with `watch(page)`.
"""

import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-artifacts/screenshots")).resolve()
STARTED = time.time()  # this conftest is imported when the run collects, before any test

# Runs in every document before the page's own scripts: report each CSP violation to Python.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation(
  `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${event.documentURI}`
));
"""


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter):
    """Name the folder holding this run's screenshots, so they can be found and looked at."""
    shots = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= STARTED]
    if shots:
        terminalreporter.write_line(f"screenshots: {len(shots)} written to {SCREENSHOTS}")


def record_console_errors(page, errors):
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


def record_csp_violations(page, violations):
    page.expose_function("__cspViolation", lambda report: violations.append(report))
    page.add_init_script(CSP_LISTENER)


@pytest.fixture
def console_errors(page):
    """Errors the page logs to its console; a test asserts the list stays empty."""
    errors = []
    record_console_errors(page, errors)
    return errors


@pytest.fixture
def csp_violations(page):
    """Content-Security-Policy violations on the page; a test asserts the list stays empty."""
    violations = []
    record_csp_violations(page, violations)
    return violations


@pytest.fixture
def watch(console_errors, csp_violations):
    """Watch another page (a second person's browser) into this test's two lists."""

    def attach(other):
        record_console_errors(other, console_errors)
        record_csp_violations(other, csp_violations)
        return other

    return attach
