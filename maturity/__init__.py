"""The project package and the maturity-model app.

Its Celery app (`maturity.celery`) is loaded when Django starts (`MaturityConfig.ready`), not
here: `maturity.scoring` must stay importable without Django or Celery.
"""
