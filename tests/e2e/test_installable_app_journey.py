"""The installable app in a real browser: the manifest and its icons, the service worker,
the offline page in the visitor's language, and the devices page.

Headless Chromium has no push service of its own: the devices page is given a device by
the same request its script sends after the browser subscribed (`fetch` from the page)."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.support import BrowserSubscription, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# `ready` resolves as soon as the registration has an active worker, which may still be
# "activating" (its activate handler clearing old caches): wait for the state change too.
WORKER_READY = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker.state !== "activated") {
    await new Promise((resolve) => {
      worker.addEventListener("statechange", () => {
        if (worker.state === "activated") resolve();
      });
    });
  }
  return [registration.scope, worker.state];
}"""


def wait_until_controlled(page):
    """The worker installed, activated and in charge of the page (after a reload)."""
    page.evaluate(WORKER_READY)
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


@pytest.mark.parametrize(
    ("locale", "heading", "name"),
    [("fr-FR", "Vous êtes hors ligne", "fr"), ("en-GB", "You are offline", "en")],
)
def test_the_app_installs_and_shows_the_offline_page_in_the_visitors_language(
    live_server, new_page, screenshot, locale, heading, name
):
    base = live_server.url
    page = new_page(locale=locale)
    page.goto(f"{base}/")

    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(f"{base}{manifest_url}")
    assert manifest.headers["content-type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"] == "/"
    for icon in data["icons"]:
        image = page.request.get(f"{base}{icon['src']}")
        assert image.status == 200 and image.headers["content-type"] == "image/png"
    assert page.locator("meta[name=theme-color]").get_attribute("content") == "#0b6e4f"

    scope, state = page.evaluate(WORKER_READY)
    assert scope == f"{base}/"
    assert state == "activated"
    wait_until_controlled(page)

    page.context.set_offline(True)
    page.goto(f"{base}/groups/")
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("html").get_attribute("lang") == name
    screenshot(page, f"app-offline-{name}")

    page.context.set_offline(False)
    page.get_by_role("link", name={"fr": "Réessayer", "en": "Try again"}[name]).click()
    expect(page.get_by_role("heading", name=heading)).to_have_count(0)


def test_the_devices_page_lists_a_registered_device_and_removes_it(
    live_server, new_page, screenshot
):
    base = live_server.url
    member = UserFactory(email="lena@example.org", display_name="Lena Keller")
    page = new_page()
    log_in(page, base, member.email)
    page.goto(f"{base}/profile/")
    page.get_by_role("link", name="Notifications on your devices").click()
    page.wait_for_url(f"{base}/profile/devices/")
    expect(page.get_by_text("No device receives your notifications yet.")).to_be_visible()
    # With JavaScript, the buttons replace the note about it (once the deferred script ran).
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_visible()
    expect(page.get_by_text("Turning notifications on needs JavaScript")).to_be_hidden()
    expect(page.get_by_role("button", name="Turn off notifications on this device")).to_be_hidden()

    # What push.js sends once the browser subscribed (headless Chromium cannot subscribe).
    browser = BrowserSubscription("https://fcm.googleapis.com/fcm/send/e2e-device")
    status = page.evaluate(
        """async (subscription) => {
          const section = document.querySelector("[data-push]");
          const response = await fetch(section.dataset.subscribeUrl, {
            method: "POST",
            headers: {"Content-Type": "application/json", "X-CSRFToken": section.dataset.csrf},
            body: JSON.stringify(subscription),
          });
          return response.status;
        }""",
        browser.as_json(),
    )
    assert status == 201
    page.reload()
    device = page.locator(".device")
    assert device.count() == 1
    assert device.get_by_role("heading", name="Chrome · Linux").is_visible()
    assert device.get_by_text("No notification delivered yet").is_visible()
    screenshot(page, "app-devices")

    device.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("That device no longer receives your notifications.")).to_be_visible()
    assert page.locator(".device").count() == 0
    assert member.push_subscriptions.count() == 0
    screenshot(page, "app-devices-removed")
