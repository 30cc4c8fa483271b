"""The installable app: the manifest, the service worker, the offline page, the VAPID key."""

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config import settings as settings_module
from tests.core.test_pages_are_csp_clean import (
    EVENT_HANDLER,
    INLINE_SCRIPT,
    STYLE_ATTRIBUTE,
    STYLE_TAG,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_links_the_manifest_the_theme_colour_and_the_worker(client):
    page = client.get(reverse("home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in page
    assert '<meta name="theme-color" content="#0b6e4f">' in page
    assert f'data-service-worker="{reverse("service_worker")}"' in page


def test_the_manifest_names_the_site_and_its_icons_load(client, settings):
    settings.SITE_NAME = "Going Solo"
    response = client.get(reverse("manifest"))

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Going Solo"
    assert manifest["short_name"] == "Going Solo"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    assert (manifest["theme_color"], manifest["background_color"]) == ("#0b6e4f", "#f4f6f8")
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200
        content = b"".join(image.streaming_content)
        assert content.startswith(b"\x89PNG")
        width = int.from_bytes(content[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]


def test_the_manifest_speaks_the_browsers_language(client):
    english = client.get(reverse("manifest")).json()
    french = client.get(reverse("manifest"), headers={"Accept-Language": "fr"}).json()
    assert english["lang"] == "en"
    assert english["description"] == "A community platform for independent workers."
    assert french["lang"] == "fr"
    assert french["description"] == "Une plateforme communautaire pour les indépendant·es."


def test_the_service_worker_is_served_from_the_root_with_what_it_must_cache(client):
    response = client.get(reverse("service_worker"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    first_line, _rest = source.split("\n", 1)
    config = json.loads(first_line.removeprefix("self.GOINGSOLO = ").removesuffix(";"))
    assert config["offline"] == {"en": "/offline/en/", "fr": "/offline/fr/"}
    assert "/static/goingsolo/site.css" in config["assets"]
    assert len(config["version"]) == 12
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source


def test_the_offline_page_speaks_each_language_and_says_nothing_about_the_visitor(client):
    member = UserFactory(display_name="Zoé Private")
    client.force_login(member)

    english = client.get(reverse("offline", args=["en"]))
    french = client.get(reverse("offline", args=["fr"]))

    assert "You are offline" in english.content.decode()
    assert english["Content-Language"] == "en"
    assert "Vous êtes hors ligne" in french.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    for page in (english, french):
        assert "Zoé Private" not in page.content.decode()
    assert client.get("/offline/de/").status_code == 404


def test_the_policy_allows_the_worker_and_the_manifest_from_the_site_only(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def test_the_offline_and_devices_pages_have_no_inline_script_or_style(client):
    client.force_login(UserFactory())
    for url in (reverse("offline", args=["en"]), reverse("accounts:devices")):
        page = client.get(url).content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_TAG, EVENT_HANDLER):
            assert pattern.search(page) is None, url


# --- The VAPID key ------------------------------------------------------------------------


def test_the_vapid_key_is_made_once_into_the_data_folder_readable_by_the_owner_only(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("GOINGSOLO_VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.setattr(settings_module, "DATA_DIR", tmp_path)

    first = settings_module._vapid_private_key()
    again = settings_module._vapid_private_key()

    key_file = tmp_path / "vapid_private_key.pem"
    assert first == again == key_file.read_text()
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    key = serialization.load_pem_private_key(first.encode(), password=None)
    assert key.curve.name == "secp256r1"


def test_processes_starting_together_all_read_the_one_whole_key(tmp_path, monkeypatch):
    # The web process and the worker start at once on a new instance: none may read a key
    # file another is still writing.
    monkeypatch.delenv("GOINGSOLO_VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.setattr(settings_module, "DATA_DIR", tmp_path)
    starting = threading.Barrier(8)

    def start():
        starting.wait()
        return settings_module._vapid_private_key()

    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = list(pool.map(lambda _: start(), range(8)))

    assert len(set(keys)) == 1
    assert keys[0] == (tmp_path / "vapid_private_key.pem").read_text()
    assert [path.name for path in tmp_path.iterdir()] == ["vapid_private_key.pem"]


def test_the_vapid_key_may_come_from_the_environment(tmp_path, monkeypatch):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    monkeypatch.setattr(settings_module, "DATA_DIR", tmp_path)
    # One line, as environment files often hold it.
    monkeypatch.setenv("GOINGSOLO_VAPID_PRIVATE_KEY", pem.replace("\n", "\\n"))

    assert settings_module._vapid_private_key() == pem
    assert not (tmp_path / "vapid_private_key.pem").exists()


@pytest.mark.parametrize(
    "value",
    ["not a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"],
)
def test_a_bad_vapid_key_stops_the_start_with_a_message(value, monkeypatch):
    monkeypatch.setenv("GOINGSOLO_VAPID_PRIVATE_KEY", value)
    with pytest.raises(ImproperlyConfigured, match="GOINGSOLO_VAPID_PRIVATE_KEY"):
        settings_module._vapid_private_key()


def test_a_vapid_key_on_another_curve_is_refused(monkeypatch):
    pem = (
        ec.generate_private_key(ec.SECP384R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    monkeypatch.setenv("GOINGSOLO_VAPID_PRIVATE_KEY", pem)
    with pytest.raises(ImproperlyConfigured, match="P-256"):
        settings_module._vapid_private_key()
