"""The pinned front-end files: one list for the CDN tags, the local copies and the Makefile."""

from dataclasses import dataclass


@dataclass(frozen=True)
class VendorAsset:
    """One pinned file: where the npm package has it, where the CDN serves it, and its hash."""

    name: str
    package: str
    version: str
    path: str
    integrity: str

    @property
    def cdn_url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/{self.package}@{self.version}/{self.path}"

    @property
    def static_path(self) -> str:
        return f"vendor/{self.package}/{self.path.rsplit('/', 1)[-1]}"


VENDOR_ASSETS = {
    asset.name: asset
    for asset in (
        VendorAsset(
            name="bootstrap-css",
            package="bootstrap",
            version="5.3.8",
            path="dist/css/bootstrap.min.css",
            integrity="sha384-sRIl4kxILFvY47J16cr9ZwB07vP4J8+LH7qKQnuqkuIAvNWLzeN8tE5YBujZqJLB",
        ),
        VendorAsset(
            name="bootstrap-js",
            package="bootstrap",
            version="5.3.8",
            path="dist/js/bootstrap.bundle.min.js",
            integrity="sha384-FKyoEForCGlyvwx9Hj09JcYn3nv7wiPVlz7YYwJrWVcXK/BmnVDxM+D2scQbITxI",
        ),
        VendorAsset(
            name="chartjs",
            package="chart.js",
            version="4.5.1",
            path="dist/chart.umd.min.js",
            integrity="sha384-jb8JQMbMoBUzgWatfe6COACi2ljcDdZQ2OxczGA3bGNeWe+6DChMTBJemed7ZnvJ",
        ),
    )
}
