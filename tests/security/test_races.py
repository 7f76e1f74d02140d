"""Races found by attack testing (issue 13, points 3 and 7): real threads, real transactions.

Two admins removing each other at once must leave one admin (PostgreSQL and SQLite). A criterion
edit racing "publish" must never change a version after it was published (PostgreSQL: SQLite
has no row locks and serialises whole-database writes instead).
"""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from assessments.models import Membership
from assessments.services import (
    LastAdminError,
    NotAllowedError,
    invitation_create,
    membership_remove,
)
from assessments.services import members as members_services
from maturity.models import Criterion, ImmutableVersionError, ModelVersion
from maturity.services import PublishError, model_version_problems, model_version_publish
from tests.factories import MembershipFactory, OrganisationFactory, build_model_version

pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (set DATABASE_URL)"
)
ROUNDS = 6
# The loser was removed a moment ago (no admin any more) or would remove the last admin. SQLite
# runs IMMEDIATE transactions (maturity/settings/base.py), so its loser waits as on PostgreSQL.
LOSER_ERRORS = (NotAllowedError, LastAdminError)
# How long the first thread keeps its transaction open after its write: the second one must
# wait for it (with the lock) instead of slipping in between (without it).
HOLD_SECONDS = 0.3


def in_threads(*calls):
    """Run each call in its own thread and connection, started together; results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test judges what each thread raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


# --- point 3: the last admin ------------------------------------------------------------------


def removing(membership: Membership, *, by):
    return lambda: membership_remove(membership=membership, removed_by=by)


def test_two_admins_removing_each_other_at_once_leave_exactly_one_admin():
    for _round in range(ROUNDS):
        organisation = OrganisationFactory()
        first, second = (
            MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
            for _ in range(2)
        )

        results = in_threads(removing(second, by=first.user), removing(first, by=second.user))

        admins = Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        assert admins.count() == 1, results
        assert results.count(None) == 1, results
        assert any(isinstance(result, LOSER_ERRORS) for result in results), results


# --- point 7: a criterion edit racing publish -------------------------------------------------


def emptying_phase_four(version: ModelVersion):
    """An edit that publishing must refuse: phase 4's criteria all move to phase 3."""
    phase_three = version.phases.get(order=3)

    def edit():
        for criterion in Criterion.objects.filter(version=version, phase__order=4):
            criterion.phase = phase_three
            criterion.save()

    return edit


def holding(call, started: threading.Event):
    """Run the call in a transaction that stays open a moment after it, as the admin's does."""

    def run():
        with transaction.atomic():
            call()
            started.set()
            time.sleep(HOLD_SECONDS)

    return run


def after(started: threading.Event, call):
    def run():
        assert started.wait(timeout=10)
        return call()

    return run


def assert_published_version_is_valid(version: ModelVersion, results) -> None:
    version.refresh_from_db()
    if version.status == ModelVersion.Status.PUBLISHED:
        assert model_version_problems(version=version) == [], results


@on_postgresql
def test_a_criterion_edit_before_publish_commits_makes_publish_wait_and_refuse():
    for _round in range(3):
        version = build_model_version(publish=False)
        started = threading.Event()

        results = in_threads(
            holding(emptying_phase_four(version), started),
            after(started, lambda v=version: model_version_publish(version=v)),
        )

        assert_published_version_is_valid(version, results)
        assert isinstance(results[1], PublishError), results


@on_postgresql
def test_a_criterion_edit_while_publish_commits_waits_and_is_refused():
    for _round in range(3):
        version = build_model_version(publish=False)
        started = threading.Event()

        results = in_threads(
            holding(lambda v=version: model_version_publish(version=v), started),
            after(started, emptying_phase_four(version)),
        )

        assert_published_version_is_valid(version, results)
        assert isinstance(results[1], ImmutableVersionError), results


# --- issue 31, F7: one invitation accepted twice at the same moment ---------------------------


def accepting(url: str, username: str):
    def post():
        client = Client()
        response = client.post(
            url,
            {"name": f"Sam {username}", "username": username, "password": "een-lang-wachtwoord-42"},
        )
        return response.status_code, response.content.decode()

    return post


def test_an_invitation_accepted_twice_at_once_makes_one_account_and_one_membership(monkeypatch):
    create_user = members_services.user_create_for_invitation

    def create_and_hold(**kwargs):
        # The winner keeps its transaction open: the loser must wait for it, not slip past.
        user = create_user(**kwargs)
        time.sleep(HOLD_SECONDS)
        return user

    monkeypatch.setattr(members_services, "user_create_for_invitation", create_and_hold)
    for round_number in range(4):
        organisation = OrganisationFactory()
        admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
        invitation = invitation_create(
            organisation=organisation,
            invited_by=admin,
            email=f"sam{round_number}@example.org",
            role=Membership.Role.VIEWER,
            accept_url="http://testserver/invitations/TOKEN/",
        )
        url = reverse("invitation_accept", args=[invitation.token])
        users_before = get_user_model().objects.count()

        results = in_threads(
            accepting(url, f"eerste{round_number}"), accepting(url, f"tweede{round_number}")
        )

        statuses = sorted(status for status, _content in results)
        assert statuses == [302, 409], results
        loser_page = next(content for status, content in results if status == 409)
        assert "Deze uitnodiging is al gebruikt." in loser_page
        assert get_user_model().objects.count() == users_before + 1
        assert Membership.objects.filter(organisation=organisation).count() == 2
        # Every account has an organisation: none was left behind by the loser.
        assert not get_user_model().objects.filter(memberships__isnull=True, is_staff=False)
