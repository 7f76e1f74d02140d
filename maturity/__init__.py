"""The project package and the maturity-model app; its Celery app is loaded with Django."""

from maturity.celery import app as celery_app

__all__ = ("celery_app",)
