"""The settings of the test suite: the instance's settings (config/settings.py) with the
suite's choices. pytest uses them (pyproject.toml); a process a test starts gets them only
when it names them in DJANGO_SETTINGS_MODULE, since the processes of `goingsolo run` are
the instance as it runs.
"""

from config.settings import *  # noqa: F403 -- the instance's settings, then the suite's choices
from config.settings import EMAIL_URL, STORAGES, env

# Jobs run at once, in the test's process; so do live updates.
TASKS = {
    "default": {
        "BACKEND": env("GOINGSOLO_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}
GOINGSOLO_LIVE_IN_PROCESS = True

# Each test process its own cache: rate limits and caches do not cross tests run in parallel.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Fast hashing; no rate limits between the suite's many logins and posts
# (tests/security/test_rate_limits.py turns them on).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_RATE_LIMITS = False
GOINGSOLO_RATE_LIMITS = {}

# Emails stay in memory unless a test names a transport.
if EMAIL_URL is None:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Static files are served from the apps' folders, without a collectstatic manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
