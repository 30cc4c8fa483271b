"""Settings, read from the environment only.

Every value has a safe default for the embedded run (`make run`): SQLite in WAL mode,
files and a generated secret key under ./data/. A production instance sets the variables
documented in docs/operating.md; a bad value stops the start with a message that names it.

One module, longer than one sitting: Django reads settings from one place, and each block
(database, mail, live updates, security, features' limits) reads on its own; every
variable is documented in docs/operating.md.
"""

import hashlib
import json
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {value!r}).")


def env_int(name, default):
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None


def env_float(name, default):
    value = env(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number (got {value!r}).") from None


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(env("GOINGSOLO_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key():
    """The environment's key, or one generated once and kept under the data folder."""
    key = env("SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _vapid_private_key():
    """The Web Push signing key (an ECDSA P-256 key, PEM): the environment's, for instances
    on several machines, or one generated once and kept under the data folder. Browsers tie
    each subscription to its public half: a new key silently ends every subscription."""
    # Imported here: only an instance without a key generates one.
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415

    pem = env("GOINGSOLO_VAPID_PRIVATE_KEY")
    if pem is None:
        key_file = DATA_DIR / "vapid_private_key.pem"
        if not key_file.exists():
            # The web process and the worker may start at the same time: each writes a whole
            # key to a file of its own, then links it to the shared name, which succeeds for
            # one of them only. Nobody ever reads a half-written key.
            key = ec.generate_private_key(ec.SECP256R1())
            fd, draft = tempfile.mkstemp(dir=DATA_DIR, prefix=".vapid-")
            with os.fdopen(fd, "wb") as out:
                out.write(
                    key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    )
                )
            try:
                os.link(draft, key_file)
            except FileExistsError:
                pass
            finally:
                os.unlink(draft)
        pem = key_file.read_text()
    pem = pem.replace("\\n", "\n").strip() + "\n"
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "GOINGSOLO_VAPID_PRIVATE_KEY (or <data>/vapid_private_key.pem) must be an "
            "unencrypted PEM private key."
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ImproperlyConfigured("The VAPID key must be an ECDSA key on the P-256 curve.")
    return pem


GOINGSOLO_VAPID_PRIVATE_KEY = _vapid_private_key()

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlparse(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address (got {SITE_URL!r}).")
SITE_NAME = env("GOINGSOLO_SITE_NAME", "goingsolo")
# The site's own host, and the extra names ALLOWED_HOSTS lists (a load balancer's health
# check by address, an old name that redirects): nothing else reaches a view, so no page
# and no email is built from a Host header an attacker chose. The embedded run on the
# loopback answers to both of its names.
_LOOPBACK = ("127.0.0.1", "localhost")
ALLOWED_HOSTS = list(
    dict.fromkeys(
        [
            _site.hostname,
            *(_LOOPBACK if _site.hostname in _LOOPBACK else ()),
            *env_list("ALLOWED_HOSTS"),
        ]
    )
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

GOINGSOLO_MAIL_DOMAIN = env(
    "GOINGSOLO_MAIL_DOMAIN", _site.hostname if "." in _site.hostname else "goingsolo.localhost"
)
# Languages this instance speaks; posts are detected among these only.
GOINGSOLO_LANGUAGES = env_list("GOINGSOLO_LANGUAGES", ["en", "fr"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "django_countries",
    "goingsolo.core",
    "goingsolo.accounts",
    "goingsolo.groups",
    "goingsolo.discussions",
    "goingsolo.mail",
    "goingsolo.events",
    "goingsolo.wiki",
    "goingsolo.barcamp",
    "goingsolo.moderation",
    "goingsolo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "goingsolo.accounts.middleware.MemberPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that the 413 page has the visitor's language and session; no middleware
    # above reads the body (goingsolo/core/limits.py, which also wraps the ASGI app).
    "goingsolo.core.limits.RequestBodyLimitMiddleware",
    "goingsolo.accounts.mfa_required.AdminSecondFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "goingsolo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goingsolo.core.context_processors.site",
                "goingsolo.accounts.context_processors.notifications",
            ],
            # {% url %} with its addresses remembered (goingsolo/core/addresses.py).
            "builtins": ["goingsolo.core.templatetags.addresses"],
        },
    },
]

# Database: SQLite in WAL mode under ./data unless DATABASE_URL says otherwise.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'goingsolo.sqlite3'}")


def _database(url):
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path) or ":memory:"
        if parsed.netloc:  # sqlite://relative/path
            path = parsed.netloc + path
        return {
            # Django's SQLite backend, its connections pooled per process (core/sqlite_pool).
            "ENGINE": "goingsolo.core.sqlite_pool",
            "NAME": path,
            "OPTIONS": {
                # IMMEDIATE: a writer takes the lock when its transaction starts, so two
                # writers queue on busy_timeout instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            # A file, not memory: browser tests serve pages from other threads, and
            # concurrency tests open several connections, which must see the same data.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
        }
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        config = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "goingsolo",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            # One test database per checkout, so two checkouts can run their suites at once.
            "TEST": {
                "NAME": f"test_{unquote(parsed.path.lstrip('/')) or 'goingsolo'}_{hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:6]}"
            },
        }
        return config
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres:// (got {url.split(':')[0]!r})."
    )


DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// (got {REDIS_URL!r}).")
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # The database cache is shared by the web process, the worker and the mail listener
    # of the embedded run, so rate limits hold across them.
    CACHES = {
        "default": {
            # Django's, with an incr that rate limits can count with (goingsolo/core/cache.py).
            "BACKEND": "goingsolo.core.cache.DatabaseCache",
            "LOCATION": "goingsolo_cache",
            # Past MAX_ENTRIES the table is culled, live entries too: 300 (Django's
            # default) would let anyone who makes 300 counters (300 addresses) reset
            # everyone's rate limits.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Rate limits (goingsolo/core/rate_limits.py, docs/security.md): how often one member (user),
# one address (ip) or one key (an email sender) may do a thing, Discourse-like. allauth
# counts its own (login, signup, reset_password, request_login_code, login_failed…: see
# ACCOUNT_RATE_LIMITS below); the others are the site's. GOINGSOLO_RATE_LIMITS, a JSON
# object, replaces entries: '{"search": "60/m/user", "signup": ""}' ("" turns one off).
GOINGSOLO_RATE_LIMITS = {
    "signup": "3/h/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    # A post (a thread or a reply) at most every 5 s; every 30 s for a member the group
    # still counts as new (goingsolo/groups/trust.py).
    "post": "1/5s/user",
    "post_new_member": "1/30s/user",
    "search": "30/m/user,60/m/ip",
    "flag": "20/d/user",
    # Messages to the site's addresses from one sender (the mail listener answers 451).
    "inbound_email": "60/h/key",
    "api": "60/m/user,60/m/ip",
}
_rate_limits_override = env("GOINGSOLO_RATE_LIMITS")
if _rate_limits_override:
    try:
        _rate_limits_override = json.loads(_rate_limits_override)
    except ValueError:
        _rate_limits_override = None
    if not isinstance(_rate_limits_override, dict) or not all(
        isinstance(value, str) for value in _rate_limits_override.values()
    ):
        raise ImproperlyConfigured(
            'GOINGSOLO_RATE_LIMITS must be a JSON object of rates, like {"search": "60/m/user"}.'
        )
    # Each rate's syntax is checked when the apps load (goingsolo/core/apps.py).
    GOINGSOLO_RATE_LIMITS = {**GOINGSOLO_RATE_LIMITS, **_rate_limits_override}

# Live updates cross processes through Redis, else through the database (goingsolo.core.live,
# docs/live-updates.md). Not read from the environment: an instance never wants updates that
# stay in one process (the test settings do: there, jobs run in the test's process).
GOINGSOLO_LIVE_IN_PROCESS = False

# Django's database sessions, read by a query built once (goingsolo/accounts/sessions.py).
SESSION_ENGINE = "goingsolo.accounts.sessions"

TASKS = {
    "default": {
        "BACKEND": env("GOINGSOLO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# A worker renews its lease every quarter of this; the jobs of a worker whose lease has
# expired (killed: SIGKILL, out of memory, a deploy) go back to the queue, and live
# workers look for them this often (goingsolo/core/jobs.py).
GOINGSOLO_WORKER_LEASE_SECONDS = env_int("GOINGSOLO_WORKER_LEASE_SECONDS", 60)
if GOINGSOLO_WORKER_LEASE_SECONDS < 2:
    raise ImproperlyConfigured("GOINGSOLO_WORKER_LEASE_SECONDS must be at least 2.")

AUTH_USER_MODEL = "accounts.User"
# Argon2 for every new or changed password; a hash made by an older hasher (PBKDF2 before
# Argon2 came first) still logs in, and Django rewrites it with Argon2 at that login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Django's and allauth's, reading the member by a prepared query (goingsolo/accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "goingsolo.accounts.backends.ModelBackend",
    "goingsolo.accounts.backends.AllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the identity; verification is mandatory; login by code.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, login and password reset answer alike for known and unknown addresses; the
# address's owner learns by email what happened (docs/security.md).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
ACCOUNT_ADAPTER = "goingsolo.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "goingsolo.accounts.forms.SignupForm"
# allauth's rate limits, from the one table (GOINGSOLO_RATE_LIMITS above); the names it
# knows and the table leaves out keep allauth's defaults. Its "signup" counts every sign-up
# form sent, one sent back with an error too.
ACCOUNT_RATE_LIMITS = {
    name: GOINGSOLO_RATE_LIMITS[name]
    for name in (
        "signup",
        "login",
        "login_failed",
        "reset_password",
        "reset_password_from_key",
        "request_login_code",
    )
    if name in GOINGSOLO_RATE_LIMITS
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Staff and superusers without a second factor are sent to set one up before any other
# page (goingsolo/accounts/mfa_required.py). The Django admin's login is allauth's, with
# its rate limits and second factor, whatever this says (config/urls.py).
GOINGSOLO_REQUIRE_MFA_FOR_ADMINS = env_bool("GOINGSOLO_REQUIRE_MFA_FOR_ADMINS", False)

# Email out. Every email goes into the outbound queue through GOINGSOLO_OUTBOX_BACKEND (one
# way out, docs/mailing-list.md); not read from the environment, since nothing may go around
# the queue. EMAIL_BACKEND, from EMAIL_URL, is the transport the queue's worker sends with:
# smtp://user:pass@host:port, smtp+tls://…, smtps://…, console:// (Django's test runner
# makes it locmem, so tests still pass through the queue).
GOINGSOLO_OUTBOX_BACKEND = "goingsolo.mail.outbound.outbox.QueueBackend"
EMAIL_URL = env("EMAIL_URL")
if EMAIL_URL is None and env("EMAIL_HOST"):
    EMAIL_URL = f"smtp://{env('EMAIL_HOST')}:{env_int('EMAIL_PORT', 25)}"


def _email(url):
    if url is None:
        # The embedded run prints emails where `make run` shows its output.
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "submission": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    if parsed.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtp+tls://, smtps:// or console:// (got {url!r})."
        )
    return {
        "EMAIL_BACKEND": backends[parsed.scheme],
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port
        or {"smtps": 465, "smtp+tls": 587, "submission": 587}.get(parsed.scheme, 25),
        "EMAIL_HOST_USER": unquote(parsed.username or env("EMAIL_HOST_USER", "")),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or env("EMAIL_HOST_PASSWORD", "")),
        "EMAIL_USE_TLS": parsed.scheme in ("smtp+tls", "submission"),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
    }


globals().update(_email(EMAIL_URL))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{GOINGSOLO_MAIL_DOMAIN}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Outbound mail: the mailing list's queue (docs/mailing-list.md).
GOINGSOLO_MAIL_BATCH_SIZE = env_int("GOINGSOLO_MAIL_BATCH_SIZE", 50)
# A worker owns the emails it claimed for this long; after it, they go back to the queue.
# Keep it well above the time one SMTP transaction may take (EMAIL_TIMEOUT per step).
GOINGSOLO_MAIL_LEASE_SECONDS = env_int("GOINGSOLO_MAIL_LEASE_SECONDS", 300)
GOINGSOLO_MAIL_MAX_ATTEMPTS = env_int("GOINGSOLO_MAIL_MAX_ATTEMPTS", 8)
GOINGSOLO_MAIL_RETRY_BASE_SECONDS = env_int("GOINGSOLO_MAIL_RETRY_BASE_SECONDS", 60)
for _name in (
    "GOINGSOLO_MAIL_BATCH_SIZE",
    "GOINGSOLO_MAIL_LEASE_SECONDS",
    "GOINGSOLO_MAIL_MAX_ATTEMPTS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
if GOINGSOLO_MAIL_RETRY_BASE_SECONDS < 0:
    raise ImproperlyConfigured("GOINGSOLO_MAIL_RETRY_BASE_SECONDS must not be negative.")
GOINGSOLO_DKIM_PRIVATE_KEY_PATH = env("GOINGSOLO_DKIM_PRIVATE_KEY_PATH")
if GOINGSOLO_DKIM_PRIVATE_KEY_PATH and not os.access(GOINGSOLO_DKIM_PRIVATE_KEY_PATH, os.R_OK):
    raise ImproperlyConfigured(
        f"GOINGSOLO_DKIM_PRIVATE_KEY_PATH names no readable file ({GOINGSOLO_DKIM_PRIVATE_KEY_PATH!r})."
    )
GOINGSOLO_DKIM_SELECTOR = env("GOINGSOLO_DKIM_SELECTOR", "goingsolo")
GOINGSOLO_DKIM_DOMAIN = env("GOINGSOLO_DKIM_DOMAIN", GOINGSOLO_MAIL_DOMAIN)

# Inbound mail: posting by email is limited per member. Senders are authenticated (DKIM,
# SPF, DMARC alignment; docs/mail-inbound.md): a message whose From is not proven waits for
# its author's confirmation, for GOINGSOLO_MAIL_CONFIRM_DAYS. GOINGSOLO_MAIL_AUTHSERV_ID
# names the receiving MTA whose Authentication-Results header is trusted. Every DNS look-up
# goes through the function GOINGSOLO_MAIL_DNS_RESOLVER names (tests serve local records).
GOINGSOLO_MAIL_POSTS_PER_HOUR = env_int("GOINGSOLO_MAIL_POSTS_PER_HOUR", 20)
GOINGSOLO_MAIL_AUTHENTICATE = env_bool("GOINGSOLO_MAIL_AUTHENTICATE", True)
GOINGSOLO_MAIL_AUTHSERV_ID = env("GOINGSOLO_MAIL_AUTHSERV_ID", "")
GOINGSOLO_MAIL_DNS_RESOLVER = env(
    "GOINGSOLO_MAIL_DNS_RESOLVER", "goingsolo.mail.inbound.authentication.dns_lookup"
)
GOINGSOLO_MAIL_DNS_TIMEOUT = env_float("GOINGSOLO_MAIL_DNS_TIMEOUT", 3.0)
if GOINGSOLO_MAIL_DNS_TIMEOUT <= 0:
    raise ImproperlyConfigured("GOINGSOLO_MAIL_DNS_TIMEOUT must be a positive number of seconds.")
GOINGSOLO_MAIL_CONFIRM_DAYS = env_int("GOINGSOLO_MAIL_CONFIRM_DAYS", 7)
if GOINGSOLO_MAIL_CONFIRM_DAYS < 1:
    raise ImproperlyConfigured("GOINGSOLO_MAIL_CONFIRM_DAYS must be at least 1.")

# The schedule the worker runs (docs/operating.md, "Schedule"): a check every
# GOINGSOLO_SCHEDULER_INTERVAL seconds (0: the worker runs none, cron runs the commands), and
# digests at GOINGSOLO_DIGEST_HOUR o'clock in each member's own time zone.
GOINGSOLO_SCHEDULER_INTERVAL = env_float("GOINGSOLO_SCHEDULER_INTERVAL", 60.0)
if GOINGSOLO_SCHEDULER_INTERVAL < 0:
    raise ImproperlyConfigured("GOINGSOLO_SCHEDULER_INTERVAL must not be negative.")
GOINGSOLO_DIGEST_HOUR = env_int("GOINGSOLO_DIGEST_HOUR", 7)
if not 0 <= GOINGSOLO_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured(
        f"GOINGSOLO_DIGEST_HOUR must be an hour from 0 to 23 (got {GOINGSOLO_DIGEST_HOUR})."
    )

# Inbound mail listener.
GOINGSOLO_SMTPD_HOST = env("GOINGSOLO_SMTPD_HOST", "127.0.0.1")
GOINGSOLO_SMTPD_PORT = env_int("GOINGSOLO_SMTPD_PORT", 2525)
GOINGSOLO_MAX_MESSAGE_BYTES = env_int("GOINGSOLO_MAX_MESSAGE_BYTES", 25 * 1024 * 1024)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
# Ours, then the French of the libraries brought to our voice (`goingsolo vendor-messages`,
# docs/voice.md), read before the libraries' own catalogues.
LOCALE_PATHS = [BASE_DIR / "goingsolo" / "locale", BASE_DIR / "goingsolo" / "vendor_locale"]
USE_I18N = True
# Dates and times as each language writes them (docs/voice.md); shown through
# goingsolo.core.dates, never with a format written in a template.
FORMAT_MODULE_PATH = ["goingsolo.formats"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "goingsolo" / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "goingsolo.core.static_files.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads larger than this stay on disk while they are checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
GOINGSOLO_AVATAR_MAX_BYTES = env_int("GOINGSOLO_AVATAR_MAX_BYTES", 5 * 1024 * 1024)

# Security. Behind TLS (SITE_URL in https) the secure defaults switch on.
_https = _site.scheme == "https"
_behind_proxy = env_bool("BEHIND_PROXY", _https)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _behind_proxy else None
# Rate limits per IP count the visitor's address, which behind a front server is the last
# one it appended to X-Forwarded-For, not REMOTE_ADDR (the front server's, the same for
# every visitor): the number of front servers in the chain, counted from the application.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("GOINGSOLO_TRUSTED_PROXY_COUNT", 1 if _behind_proxy else 0)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
if _https:
    # The __Host- prefix makes browsers refuse these cookies unless they are Secure, for
    # the path / and without a Domain: no subdomain, nor a page over plain http, can set
    # or overwrite a session or a CSRF token (Django's defaults are Path=/, no Domain).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _https else 0)
# Off by default: other hosts under the same domain may not all speak https yet. Preloading
# into browsers needs both, and is hard to undo.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if SECURE_HSTS_PRELOAD and not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    raise ImproperlyConfigured(
        "SECURE_HSTS_PRELOAD needs SECURE_HSTS_INCLUDE_SUBDOMAINS (browsers preload only both)."
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A refused form shows in the site's look and language, with the way back to it.
CSRF_FAILURE_VIEW = "goingsolo.core.site_pages.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    # A choice documented in docs/security.md, not an oversight.
    SILENCED_SYSTEM_CHECKS += ["security.W005"]
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
if not _https:
    # The embedded run is plain http on the loopback; TLS is the front server's job.
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A line per task run and per SMTP connection buried what `make run` prints (a
        # thousand lines at the first start): their warnings and errors still show.
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        "django_tasks_db": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        "mail.log": {"level": env("SMTPD_LOG_LEVEL", "WARNING")},
    },
}

# Discussions.
GOINGSOLO_POST_MAX_CHARS = env_int("GOINGSOLO_POST_MAX_CHARS", 20_000)

# Attachments of posts and wiki pages. They are served through views that check who may
# read them, from a folder the web server must not expose (unlike MEDIA_ROOT).
GOINGSOLO_PRIVATE_FILES_ROOT = Path(env("GOINGSOLO_PRIVATE_FILES_ROOT", DATA_DIR / "private"))
GOINGSOLO_ATTACHMENT_MAX_BYTES = env_int("GOINGSOLO_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES = env_int(
    "GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES", 25 * 1024 * 1024
)

# The largest request body: larger ones are refused with 413 before they are read (by
# goingsolo.core.limits, in front of Django). By default just above the largest upload —
# a talk's slides, 50 MB (events/forms.py SLIDES_MAX_BYTES), unless the limits above are
# raised past it — with a megabyte for the form around it.
_LARGEST_UPLOAD = max(
    50 * 1024 * 1024,
    GOINGSOLO_AVATAR_MAX_BYTES,
    GOINGSOLO_ATTACHMENT_MAX_BYTES,
    GOINGSOLO_POST_ATTACHMENTS_MAX_BYTES,
)
GOINGSOLO_MAX_REQUEST_BYTES = env_int("GOINGSOLO_MAX_REQUEST_BYTES", _LARGEST_UPLOAD + 1024 * 1024)
if GOINGSOLO_MAX_REQUEST_BYTES < 1024 * 1024:
    raise ImproperlyConfigured("GOINGSOLO_MAX_REQUEST_BYTES must be at least 1048576 (1 MB).")

# Translation on demand: a LibreTranslate-compatible service; empty means no "Translate".
GOINGSOLO_TRANSLATION_URL = env("GOINGSOLO_TRANSLATION_URL", "")
if GOINGSOLO_TRANSLATION_URL and not GOINGSOLO_TRANSLATION_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"GOINGSOLO_TRANSLATION_URL must be an http(s) address (got {GOINGSOLO_TRANSLATION_URL!r})."
    )
GOINGSOLO_TRANSLATION_API_KEY = env("GOINGSOLO_TRANSLATION_API_KEY", "")
GOINGSOLO_TRANSLATION_TIMEOUT = env_float("GOINGSOLO_TRANSLATION_TIMEOUT", 8.0)

# Events: PeerTube instances whose videos may be embedded as talk recordings (comma-separated).
# PeerTube is federated: any instance may host a talk; these are well-known ones.
GOINGSOLO_PEERTUBE_HOSTS = env_list(
    "GOINGSOLO_PEERTUBE_HOSTS",
    ["framatube.org", "peertube.fr", "video.blender.org", "tube.switch.ch"],
)

# Wiki: the longest page text, and how fast an edit form may come back before it is taken
# for a robot's (seconds after the form was shown).
GOINGSOLO_WIKI_PAGE_MAX_CHARS = env_int("GOINGSOLO_WIKI_PAGE_MAX_CHARS", 200_000)
GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT = env_int("GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT", 3)

# Expensive pages (docs/wiki.md, "Limits and bad input"). A diff or a three-way merge
# compares at most this many pairs of equal lines or words, for at most this long; past
# that it falls back to whole lines (a diff) or whole blocks in conflict (a merge). Lines
# longer than GOINGSOLO_DIFF_WORD_MAX_CHARS are never compared word by word.
GOINGSOLO_DIFF_MAX_PAIRS = env_int("GOINGSOLO_DIFF_MAX_PAIRS", 200_000)
GOINGSOLO_DIFF_MAX_SECONDS = env_float("GOINGSOLO_DIFF_MAX_SECONDS", 0.1)
GOINGSOLO_DIFF_WORD_MAX_CHARS = env_int("GOINGSOLO_DIFF_WORD_MAX_CHARS", 2_000)
# Markdown (posts, wiki pages): text past GOINGSOLO_MARKDOWN_MAX_CHARS or _MAX_LINES is shown
# as plain text; a longer paragraph than GOINGSOLO_MARKDOWN_BLOCK_MAX_CHARS, or any paragraph after
# GOINGSOLO_MARKDOWN_MAX_SECONDS, keeps its text and line breaks but not its inline markup.
GOINGSOLO_MARKDOWN_MAX_CHARS = env_int("GOINGSOLO_MARKDOWN_MAX_CHARS", 20_000)
GOINGSOLO_MARKDOWN_MAX_LINES = env_int("GOINGSOLO_MARKDOWN_MAX_LINES", 1_000)
GOINGSOLO_MARKDOWN_BLOCK_MAX_CHARS = env_int("GOINGSOLO_MARKDOWN_BLOCK_MAX_CHARS", 3_000)
GOINGSOLO_MARKDOWN_MAX_SECONDS = env_float("GOINGSOLO_MARKDOWN_MAX_SECONDS", 0.08)

# Web Push (docs/push.md). Who the push services may contact about this instance's
# messages: a mailto: address or an https page.
GOINGSOLO_VAPID_SUBJECT = env(
    "GOINGSOLO_VAPID_SUBJECT", f"mailto:postmaster@{GOINGSOLO_MAIL_DOMAIN}"
)
if not GOINGSOLO_VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        f"GOINGSOLO_VAPID_SUBJECT must be a mailto: or https:// address (got {GOINGSOLO_VAPID_SUBJECT!r})."
    )
# Where a browser's subscription may point: the push services of the major browsers. The
# server posts to these addresses, so any other would let a member make it call anywhere.
GOINGSOLO_PUSH_SERVICES = env_list(
    "GOINGSOLO_PUSH_SERVICES",
    [
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://*.notify.windows.com",
        "https://web.push.apple.com",
        "https://*.push.apple.com",
    ],
)
for _origin in GOINGSOLO_PUSH_SERVICES:
    if not _origin.startswith(("https://", "http://")) or urlparse(_origin).path not in ("", "/"):
        raise ImproperlyConfigured(
            f"GOINGSOLO_PUSH_SERVICES takes origins such as https://push.example.org (got {_origin!r})."
        )
GOINGSOLO_PUSH_TIMEOUT = env_float("GOINGSOLO_PUSH_TIMEOUT", 10.0)
GOINGSOLO_PUSH_MAX_ATTEMPTS = env_int("GOINGSOLO_PUSH_MAX_ATTEMPTS", 5)
if GOINGSOLO_PUSH_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("GOINGSOLO_PUSH_MAX_ATTEMPTS must be at least 1.")
