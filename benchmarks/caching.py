"""The sector view's cache keys (`maturity.caching`'s docstring, item 4)."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from maturity.caching import digest_key, get_or_render

Value = TypeVar("Value")


def sector_aggregates(
    *,
    model_slug: str,
    version_id: int,
    published_at: datetime,
    benchmark: str,
    compute: Callable[[], Value],
) -> Value:
    """The sector view's aggregates of a model slug: cached, or computed and kept."""
    # "sector-2": the gaps became the lowest median fulfilment; entries kept before are not read.
    key = digest_key("sector-2", model_slug, version_id, published_at, benchmark)
    return get_or_render(key, compute)


def sector_tables(
    *,
    model_slug: str,
    version_id: int,
    published_at: datetime,
    benchmark: str,
    language: str,
    render: Callable[[], str],
) -> str:
    """The sector view's tables as HTML in the reader's language: cached, or rendered and kept."""
    key = digest_key("sector-tables-2", model_slug, version_id, published_at, benchmark, language)
    return get_or_render(key, render)
