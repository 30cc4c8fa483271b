"""The static files' storage (settings.STORAGES["staticfiles"] outside DEBUG): whitenoise's
compressed manifest storage, each file's address worked out once per process.

Every page asks for the same few addresses (`{% static %}`), and the manifest storage
works each one out again (splitting, unquoting and joining the name: a tenth of a
millisecond a page, bench/read_path.py). The manifest does not change while the process
runs; a change of settings makes a new storage (Django's setting_changed)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses = {}

    def url(self, name, force=False):
        if force:  # collectstatic's own use: never remembered
            return super().url(name, force=True)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)
        return address
