"""Static files storage: compressed, hashed names, and vendor files served byte for byte."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


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
