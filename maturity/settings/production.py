"""Production: everything from the environment, DEBUG off unless set."""

from .base import *  # noqa: F403
