"""Development: DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: F403
