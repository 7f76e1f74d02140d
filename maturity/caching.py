"""Everything Groeipad keeps between requests: what, under which key, for how long, what clears it.

Six things are kept, and nothing else:

1. **Published model structures** (phases, dimensions and criteria of a model version, as the
   selectors load them). Kept in this process in a least-recently-used store of
   ``STRUCTURE_CACHE_SIZE`` entries, without expiry: a published version never changes.
   Key: the version's primary key and its publication time, so a primary key reused after a
   restore cannot hit a stale entry. Drafts are never cached: they change with every edit.
   They stay in the process even when Redis is configured, on purpose: an entry can never be
   stale, so sharing it between servers gains nothing but one load per process and version,
   while fetching it from Redis would cost every request a round trip, the unpickling of every
   phase, dimension and criterion row, and a rebuild of the scoring spec's index
   (``ModelSpec.layout``: the spec pickles its inputs only). A dictionary lookup is far cheaper.
   The same store keeps a published version's **crosswalk** (which removed criterion keys the
   model's versions up to this one replaced by which new key), under the key
   ``("replacements", version id, publication time)``: it too never changes once published.
2. **The rendered report page of a submitted assessment** (``reports.caching``): its HTML
   sections (summary, body, the action plan's follow-up, the benchmark comparison), all rendered
   from one built ``reports.report.Report``, in Django's cache (``CACHES["default"]``) for
   ``REPORT_CACHE_SECONDS``. Without ``REDIS_URL`` that is a per-process LocMem of bounded size;
   with it, Redis shared by every worker of every app server (``maturity.cache_backend``: Redis
   errors are logged, and the report is rendered anew). Key (a digest): the assessment's primary
   key and submission time, the **organisation revision** (one row per organisation that
   database triggers bump on every change of its actions or submitted assessments, so of its
   history and action plan, and of the practices its groups share with it:
   ``trajectories.selectors.organisation_revision``), the **benchmark signature** (the revision
   row that database triggers bump on every opt-in or opt-out, submit, reopen or deletion of a
   submitted assessment, and changed kind, population or region of any organisation:
   ``benchmarks.selectors.benchmark_signature``), the organisation's profile as benchmarks see it
   (kind, population band, region), the comparison level asked for, whether the reader is an
   organisation admin (the comparison links to the opt-in page) or may add actions (the advice
   offers the link) and the reader's language. A draft's report is provisional and always
   rendered live.
3. **The PDF of a report** is not cached here: a worker stores it in Django's default storage
   under its content signature (``reports.renders.report_document_key``): the assessment, its
   submission time or, for a draft, its answers' count, revisions and last change, the history
   signature, the language, the signature of the open actions page 1 lists
   (``actions.selectors.OpenActions.signature``) and the date they are shown "as of".
4. **The sector view's aggregates** of a model slug (``sector:``): the released groups, the phases
   per year and the most frequent gaps, as plain values (no model instances), for
   ``REPORT_CACHE_SECONDS``; and its tables rendered as HTML (``sector-tables:``), per language.
   Key: the slug, the newest published version of it (its id and publication time: the phase
   columns follow its phases and the gaps its criteria) and the benchmark signature.
5. **Password reset requests**: how many were asked in the last ``PASSWORD_RESET_WINDOW_SECONDS``
   per e-mail address and per client address, in the **shared** cache (``CACHES["shared"]``:
   Redis when configured, else a table of the database), so the reset form cannot be used to
   flood someone's mailbox and the limits hold across every worker process and server. Keys:
   ``password-reset:email:<sha256>`` and ``password-reset:ip:<address>``; they expire with the
   window. The same cache keeps the proxy warning of ``/healthz``
   (``maturity.client_address``). The login throttle (django-axes) keeps its counts in the
   database, shared the same way. Evidence uploads per user and hour
   (``evidence-upload:user:<id>``, ``evidence_upload_allowed``) are counted the same way.

6. **The group board of a trajectory** (``trajectories.board.board_build``: its figures as plain
   values, and the page's sections with the chart's data as HTML, ``trajectories.views.board``)
   in Django's cache for ``REPORT_CACHE_SECONDS``. Key (a digest,
   ``trajectories.board.board_digest``): the trajectory, its model version, coach or member,
   the language and, per accepted member, its consent (``consent_version``, choices,
   priorities) and its organisation's data revision (``trajectories.models.OrganisationRevision``:
   database triggers bump it on every insert, change or deletion of an action or a submitted
   assessment), read in one query of the members' rows on every request (``board_key``).

Nothing is deleted explicitly. With a per-process cache and several gunicorn workers, a delete
in the worker that handled a request would not reach the others (and with Redis, a delete lost
while Redis was briefly away would leave a stale entry behind); so every event that makes an
entry stale changes its key instead, and every server, sharing Redis or not, computes the same
new key from the database:

- a submit gives the assessment a new submission time and the organisation a new history
  signature, so every report of that organisation is rendered anew;
- a reopen turns the assessment back into a draft (never cached) and changes the history
  signature for the organisation's other reports;
- a publish gives the version a publication time; until then it was a draft and never cached;
- an action added, edited, done or cancelled, or one that became overdue overnight, changes the
  open-actions signature, so the PDFs of that organisation's reports are rendered anew;
- a change of an action or of a submitted assessment bumps its organisation's revision row (its
  report pages and the group boards it takes part in), and so does a change of a practice, a
  member, the trajectory's name or a member organisation's name in any of its groups;
- a change of who takes part in benchmarks, of their profile or of their submitted assessments
  changes the benchmark signature.

Old entries age out (least recently used, or the timeout). ``clear_all`` empties both caches of
this process (and the whole Redis database when Redis is configured: give Groeipad a database of
its own): for tests, and for tools that rewrite the database underneath a running process.

``cache_answers`` is the health check's one round trip (a short-lived key of its own).

This module takes plain values (ids, timestamps, a language code) and stores whatever its callers
build; it imports nothing of the apps, so any app may use it.
"""

import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from threading import Lock
from typing import Any, TypeVar

from django.core.cache import cache, caches

STRUCTURE_CACHE_SIZE = 64
REPORT_CACHE_SECONDS = 24 * 60 * 60
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
PASSWORD_RESET_PER_EMAIL = 3
PASSWORD_RESET_PER_ADDRESS = 10
HEALTH_PROBE_SECONDS = 10

Value = TypeVar("Value")


class _LeastRecentlyUsed:
    """A bounded in-process store: when full, the entry used longest ago makes room."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = Lock()

    def get_or_load(self, key: Hashable, load: Callable[[], Value]) -> Value:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        # Loaded outside the lock: two threads may both load once; the result is the same.
        value = load()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_structures = _LeastRecentlyUsed(STRUCTURE_CACHE_SIZE)


def published_structure(
    *, version_id: int, published_at: datetime, load: Callable[[], Value]
) -> Value:
    """The structure of a published model version: cached, or loaded by `load` and kept."""
    return _structures.get_or_load((version_id, published_at), load)


def published_replacements(
    *, version_id: int, published_at: datetime, load: Callable[[], Value]
) -> Value:
    """The crosswalk of a published model version: cached, or loaded by `load` and kept."""
    return _structures.get_or_load(("replacements", version_id, published_at), load)


def get_or_render(key: str, render: Callable[[], Value]) -> Value:
    """The value cached under `key`, or `render`'s, kept for REPORT_CACHE_SECONDS.

    The apps above own their keys (`reports.caching`, `benchmarks.caching`); they share this.
    """
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, REPORT_CACHE_SECONDS)
    return value


def digest_key(prefix: str, *parts: object) -> str:
    """A key of fixed length and safe characters, whatever text (a region name) the parts hold."""
    return f"{prefix}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def _count_within_window(key: str) -> int:
    """Count one more request under `key` in the shared cache; it starts over after the window."""
    shared = caches["shared"]
    if shared.add(key, 1, PASSWORD_RESET_WINDOW_SECONDS):
        return 1
    try:
        return shared.incr(key)
    except ValueError:  # expired between add and incr
        shared.add(key, 1, PASSWORD_RESET_WINDOW_SECONDS)
        return 1


def password_reset_allowed(*, email: str, client_address: str | None) -> bool:
    """Count a password reset request; False when the address or the client asked too often."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    per_email = _count_within_window(f"password-reset:email:{digest}")
    per_client = _count_within_window(f"password-reset:ip:{client_address or 'unknown'}")
    return per_email <= PASSWORD_RESET_PER_EMAIL and per_client <= PASSWORD_RESET_PER_ADDRESS


def evidence_upload_allowed(*, user_id: int, per_hour: int) -> bool:
    """Count one evidence upload of this user; False when they uploaded too often this hour."""
    return _count_within_window(f"evidence-upload:user:{user_id}") <= per_hour


def clear_all() -> None:
    """Empty every cache of this process (structures, reports, PDFs, sections, sector aggregates,
    reset counters)."""
    _structures.clear()
    cache.clear()
    # The shared cache is Redis (emptied above: one database) or a database table, whose rows a
    # test's transaction rolls back; clearing it here would need the database.


def cache_answers() -> bool:
    """Whether the shared cache stores and returns a value right now: one write, one read."""
    # A key per probe: probes of two servers at the same moment cannot read each other's value.
    token = secrets.token_hex(8)
    key = f"health:{token}"
    cache.set(key, token, HEALTH_PROBE_SECONDS)
    return cache.get(key) == token
