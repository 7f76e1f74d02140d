"""Production: everything from the environment, DEBUG off unless set, logs as JSON lines."""

import os

os.environ.setdefault("DJANGO_LOG_FORMAT", "json")

from .base import *  # noqa: F403
