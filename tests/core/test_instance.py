"""The instance as an operator sees it: health check, settings from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from tests.support import run_python

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DATABASE_URL",
            "mysql://root@localhost/x",
            "DATABASE_URL must start with sqlite:// or postgres://",
        ),
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("SITE_URL", "ftp://example.org", "SITE_URL must be an http(s) address"),
        ("EMAIL_URL", "pigeon://coop", "EMAIL_URL must start with smtp://"),
        ("GOINGSOLO_SMTPD_PORT", "twenty-five", "GOINGSOLO_SMTPD_PORT must be a whole number"),
        ("REDIS_URL", "memcached://x", "REDIS_URL must start with redis://"),
        ("GOINGSOLO_DIGEST_HOUR", "25", "GOINGSOLO_DIGEST_HOUR must be an hour from 0 to 23"),
        ("GOINGSOLO_SCHEDULER_INTERVAL", "-1", "GOINGSOLO_SCHEDULER_INTERVAL must not be negative"),
    ],
)
def test_a_bad_setting_stops_the_start_with_a_message_naming_it(tmp_path, variable, value, message):
    result = run_python(
        "import config.settings",
        **{variable: value, "GOINGSOLO_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_the_embedded_secret_key_is_generated_once_and_kept(tmp_path):
    code = "import config.settings as s; print(s.SECRET_KEY)"
    first = run_python(code, GOINGSOLO_DATA_DIR=str(tmp_path))
    second = run_python(code, GOINGSOLO_DATA_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_production_environment_passes_check_deploy(tmp_path):
    env = {
        "GOINGSOLO_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 20 + "production-secret-key-that-is-long-and-random-0123456789",
        "SITE_URL": "https://community.example.org",
        "ALLOWED_HOSTS": "community.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "goingsolo"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DATABASE_URL", "PYTEST", "DJANGO_"))
            },
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
