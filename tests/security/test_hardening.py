"""A production instance (SITE_URL in https): its hosts, cookies, HSTS and password hashes;
and the second factor an instance may require of its administrators."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.hashers import make_password
from django.urls import reverse

import config.settings
from goingsolo.accounts.models import User
from tests.factories import UserFactory
from tests.support import run_python

PRODUCTION = {
    "SITE_URL": "https://community.example.org",
    "SECRET_KEY": "k" * 60,
    "DATABASE_URL": "sqlite:///:memory:",
}
SHOWN = [
    "ALLOWED_HOSTS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


def instance_settings(tmp_path, **env):
    """The settings an instance started with ENV has (config/settings.py, in a process of
    its own), or the message that stopped it."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'\n"
        "from django.conf import settings\n"
        f"print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))"
    )
    result = run_python(
        code,
        leave_out=("ALLOWED_HOSTS",),
        **{"GOINGSOLO_DATA_DIR": str(tmp_path), **PRODUCTION, **env},
    )
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_production_answers_to_the_sites_host_and_the_named_extras_only(tmp_path):
    assert instance_settings(tmp_path)["ALLOWED_HOSTS"] == ["community.example.org"]
    extras = instance_settings(tmp_path, ALLOWED_HOSTS="10.0.0.5, old.example.org")
    assert extras["ALLOWED_HOSTS"] == ["community.example.org", "10.0.0.5", "old.example.org"]


def test_production_cookies_are_host_only_and_secure(tmp_path):
    shown = instance_settings(tmp_path)
    assert shown["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert shown["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    # What browsers require of a __Host- cookie, or they drop it.
    for kind in ("SESSION", "CSRF"):
        assert shown[f"{kind}_COOKIE_SECURE"] is True
        assert shown[f"{kind}_COOKIE_PATH"] == "/"
        assert shown[f"{kind}_COOKIE_DOMAIN"] is None


def test_hsts_for_a_year_without_subdomains_unless_asked(tmp_path):
    shown = instance_settings(tmp_path)
    assert shown["SECURE_HSTS_SECONDS"] == 31536000
    assert shown["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert shown["SECURE_HSTS_PRELOAD"] is False
    asked = instance_settings(
        tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true"
    )
    assert asked["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is asked["SECURE_HSTS_PRELOAD"] is True
    refused = instance_settings(tmp_path, SECURE_HSTS_PRELOAD="true")
    assert "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS" in refused


@pytest.mark.django_db
def test_a_login_over_https_sets_host_only_cookies_and_hsts(client, settings, tmp_path):
    for name, value in instance_settings(tmp_path).items():
        if name != "ALLOWED_HOSTS":
            setattr(settings, name, value)
    member = UserFactory()
    response = client.post(
        reverse("account_login"),
        {"login": member.email, "password": "correct horse battery staple"},
        secure=True,
    )
    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["path"] == "/" and not session["domain"]
    csrf = response.cookies["__Host-csrftoken"]  # a new token at login
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]


# --- Password hashes ------------------------------------------------------------------------


@pytest.fixture
def instance_hashers(settings):
    """The instance's hashers (the suite's own are fast ones)."""
    settings.PASSWORD_HASHERS = config.settings.PASSWORD_HASHERS


@pytest.mark.django_db
def test_new_passwords_are_hashed_with_argon2(instance_hashers):
    member = UserFactory()
    assert member.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_an_older_hash_still_logs_in_and_is_rehashed_with_argon2(client, instance_hashers):
    member = UserFactory()
    User.objects.filter(pk=member.pk).update(
        password=make_password("an older password", hasher="pbkdf2_sha256")
    )
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "an older password"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.password.startswith("argon2$")
    assert member.check_password("an older password")


# --- A second factor for administrators -----------------------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.GOINGSOLO_REQUIRE_MFA_FOR_ADMINS = True


def staff(**fields):
    return UserFactory(is_staff=True, **fields)


@pytest.mark.django_db
def test_an_administrator_without_a_second_factor_is_sent_to_set_one_up(client, mfa_required):
    admin = staff(language="fr")
    response = client.post(
        reverse("account_login"), {"login": admin.email, "password": "correct horse battery staple"}
    )
    assert response["Location"] == reverse("home")
    for url in (reverse("home"), reverse("admin:index"), reverse("accounts:profile_edit")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a factor is added; that page is open.
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert page.status_code == 200
    assert page.content.decode().count("demande un second facteur à ses admins") == 1
    response = client.post(page.redirect_chain[-1][0], {"password": "correct horse battery staple"})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


@pytest.mark.django_db
def test_a_superuser_is_sent_too_and_htmx_follows(client, mfa_required):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_recovery_codes_alone_are_no_second_factor(client, mfa_required):
    admin = staff()
    Authenticator.objects.create(user=admin, type=Authenticator.Type.RECOVERY_CODES, data={})
    client.force_login(admin)
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_an_administrator_with_an_authenticator_goes_anywhere(client, mfa_required):
    admin = staff()
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_members_are_never_asked(client, mfa_required):
    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_without_the_setting_administrators_are_not_asked(client, settings):
    assert settings.GOINGSOLO_REQUIRE_MFA_FOR_ADMINS is False  # the default
    client.force_login(staff())
    assert client.get(reverse("home")).status_code == 200
