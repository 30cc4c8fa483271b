"""Browser journeys: Debian's Chromium driven by Playwright, against a live server.

Skipped, with the reason printed, when no Chromium is installed. Screenshots of the key
pages go to test-results/screenshots/ for a person to look at.
"""

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from config.asgi import application
from tests.support import free_port, missing_part, sink_fixture

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
# axe-core, installed by `make install` (npm ci, pinned by package-lock.json).
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What axe checks, and why these: docs/accessibility.md.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations", "incomplete"],
}
# Rules whose "incomplete" answer (axe could not decide) is left to a person rather than
# failed: colour contrast over a background axe cannot compute (docs/accessibility.md).
AXE_UNDECIDED_FOR_A_PERSON = {"color-contrast"}


@pytest.fixture(autouse=True)
def _people_type_slower_than_this_browser(settings):
    """A browser driven by a test sends a form the moment it is filled; a post sent that
    fast is held as a robot's (docs/moderation.md, "Spam signals", tested on its own)."""
    settings.GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT = 0


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: Playwright's loop must be gone before other modules'
    tests run asyncio code of their own."""
    if CHROMIUM is None:
        missing_part("No Chromium found (Debian: apt-get install chromium); browser tests skipped.")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(locale="en-GB", viewport=None, **options):
        """A page in a new context; OPTIONS: more of Playwright's context options. The
        page's `errors` lists what went wrong in it: console errors and answers of 400 and
        more (a missing favicon aside)."""
        context = browser.new_context(
            locale=locale, viewport=viewport or {"width": 1100, "height": 900}, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and "favicon.ico" not in str(message.location)
                and page.errors.append(f"{page.url}: {message.text} {message.location}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and not r.url.endswith("/favicon.ico")
                and page.errors.append(f"{r.status} {r.url}")
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture(scope="module")
def axe():
    """Checks a page as it is now with axe-core; returns one line per problem found.

    `axe(page, "where")` injects axe-core (through the DevTools protocol, which the site's
    Content-Security-Policy does not govern: the page is checked with its real policy) and
    runs it on the whole document. A problem is a violation of any impact, or a check that
    axe could not decide (except those left to a person, AXE_UNDECIDED_FOR_A_PERSON).
    """
    if not AXE_SCRIPT.exists():
        missing_part(
            f"axe-core is not installed ({AXE_SCRIPT.relative_to(ROOT)}): `make install` "
            "installs it with npm (Debian: apt-get install npm); accessibility tests skipped."
        )
    source = AXE_SCRIPT.read_text(encoding="utf-8")

    prepared = set()

    def check(page, where):
        # Once per browser context: every page it opens from then on has axe from the start,
        # without sending axe's 650 kB again for each page.
        if id(page.context) not in prepared:
            page.context.add_init_script(script=source)
            prepared.add(id(page.context))
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source + "\n;0")
        result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
        found = [(rule, "violation") for rule in result["violations"]]
        found += [
            (rule, "undecided")
            for rule in result["incomplete"]
            if rule["id"] not in AXE_UNDECIDED_FOR_A_PERSON
        ]
        return [axe_line(where, rule, kind) for rule, kind in found]

    return check


def axe_line(where, rule, kind):
    """One problem as a person fixing it needs it: rule, impact, elements, why, help."""
    nodes = rule["nodes"]
    targets = ", ".join(" ".join(node["target"]) for node in nodes[:5])
    more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
    why = " ".join((nodes[0].get("failureSummary") or "").split()) if nodes else ""
    return (
        f"{where}: {rule['id']} [{rule.get('impact') or 'no impact'}, {kind}] {rule['help']}\n"
        f"    elements: {targets}{more}\n"
        f"    {why}\n"
        f"    {rule['helpUrl']}"
    )


# A real SMTP server the site sends its emails to (`wait_for(to, subject)` gives one).
mail_sink = sink_fixture()


class AsgiServer:
    """The real ASGI application under uvicorn, in a thread, on a free port.

    pytest-django's live_server speaks WSGI, which cannot hold server-sent event streams;
    pages with live updates are tested against this one. It uses the test database, so
    tests that use it need transaction=True.
    """

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self):
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def asgi_server(transactional_db, settings):
    server = AsgiServer()
    settings.ALLOWED_HOSTS = ["*"]
    server.start()
    yield server
    server.stop()
