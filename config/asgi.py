import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

# Imported once Django is set up; bodies over the cap never reach Django (docs/security.md).
from goingsolo.core.limits import RequestBodyLimit  # noqa: E402

application = RequestBodyLimit(django_application)

# What start-up made lives as long as the process: out of the collector's generations, no
# full collection walks it again (docs/decisions/0002-read-path.md).
gc.collect()
gc.freeze()
