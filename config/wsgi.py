import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What start-up made lives as long as the process: out of the collector's generations, no
# full collection walks it again (docs/decisions/0002-read-path.md).
gc.collect()
gc.freeze()
