"""Static files storage: compressed, hashed names, and vendor files served byte for byte."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# More names than the templates use; a bound all the same, in case a name ever comes from a request.
URL_CACHE_SIZE = 512


def _without_source_maps(patterns):
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in patterns
    )


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Leaves `sourceMappingURL` comments alone.

    The pinned Bootstrap and Chart.js files must keep their exact bytes, or their SRI hashes no
    longer match in `DJANGO_ASSETS=local` mode; their source maps are not shipped.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str, force: bool = False) -> str:
        """The hashed name's URL, remembered: the manifest is read once per process, so a name's
        URL cannot change. Looking it up again cost about 50 µs per `{% static %}` (five on
        every page). With DEBUG on, unhashed names are served and nothing is remembered."""
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)
            if len(self._urls) < URL_CACHE_SIZE:
                self._urls[name] = url
        return url
