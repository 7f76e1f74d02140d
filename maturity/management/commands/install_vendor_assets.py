"""Copy the pinned front-end files from node_modules into static/vendor."""

import base64
import hashlib
import shutil

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maturity.assets import VENDOR_ASSETS


class Command(BaseCommand):
    help = "Copy the pinned vendor files from node_modules to static/vendor, checking their SRI."

    def handle(self, *args, **options):
        for asset in VENDOR_ASSETS.values():
            source = settings.BASE_DIR / "node_modules" / asset.package / asset.path
            if not source.exists():
                raise CommandError(f"{source} is missing: run `npm ci` first.")
            digest = base64.b64encode(hashlib.sha384(source.read_bytes()).digest()).decode()
            if f"sha384-{digest}" != asset.integrity:
                raise CommandError(f"{source} does not match the pinned integrity of {asset.name}.")
            target = settings.BASE_DIR / "static" / asset.static_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        self.stdout.write(f"Copied {len(VENDOR_ASSETS)} vendor files to static/vendor.")
