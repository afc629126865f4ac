"""Two reviewers approving at the same moment, from two real database connections.

PostgreSQL only: there the row locks (`select_for_update` on the proposal, then on the skill)
are what serializes approvals. Each pair runs in two threads, each with its own connection,
released together by a barrier. Whatever the interleaving: exactly one approval wins and
writes exactly one revision, the other is refused cleanly (already decided, or a conflict),
and no update is lost.
"""

import threading

import pytest
from django.db import connection

from proposals import services
from proposals.models import Proposal, ProposalStatus
from skills.models import Expectation, Revision, Skill
from skills.services import ChangeConflict, skill_record_change
from tests.factories import ExpectationFactory, RoleFactory, SkillFactory, UserFactory

from .conftest import cell, make_reviewer

PAIRS = 20  # of each kind: the same proposal twice, and two proposals on the same cell


def run_together(*calls):
    """Run each call in its own thread and connection, all released at once; outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("approved", call())
        except services.AlreadyDecided:
            outcomes[index] = ("already decided", None)
        except ChangeConflict:
            outcomes[index] = ("conflict", None)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def approve(pk, reviewer):
    return lambda: services.proposal_approve(proposal=Proposal.objects.get(pk=pk), by=reviewer)


@pytest.fixture
def cast(levels):
    author = UserFactory(username="author")
    reviewers = [make_reviewer(UserFactory(username=f"reviewer{i}")) for i in range(2)]
    return author, reviewers, RoleFactory(slug="llm-engineer"), levels[2]


def new_skill(n, role, level):
    skill = SkillFactory(slug=f"race-{n}")
    ExpectationFactory(skill=skill, role=role, level=level, description="Before.")
    skill_record_change(skill=skill, summary="Imported")
    return Skill.objects.get(pk=skill.pk)


def propose(skill, author, text):
    return services.proposal_create(
        author=author,
        skill=skill,
        base_version=skill.version,
        changes=[cell("llm-engineer", "senior", "required", text)],
        rationale=text,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_proposal_approved_twice_at_once(postgres_only, cast):
    """The same proposal, two reviewers at once, 20 times: one approval and one "already
    decided" each time, exactly one revision, the text applied once."""
    author, (first, second), role, level = cast
    for n in range(PAIRS):
        skill = new_skill(n, role, level)
        proposal = propose(skill, author, f"Text {n}.")
        outcomes = run_together(approve(proposal.pk, first), approve(proposal.pk, second))
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["already decided", "approved"], outcomes
        assert Revision.objects.filter(skill=skill).count() == 2  # import + one approval
        skill.refresh_from_db()
        proposal.refresh_from_db()
        assert skill.version == 2
        assert proposal.status == ProposalStatus.APPROVED
        assert proposal.revision.version == 2
        assert Expectation.objects.get(skill=skill).description == f"Text {n}."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_proposals_on_one_cell_approved_at_once(postgres_only, cast):
    """Two proposals changing the same cell from the same version, approved at once by two
    reviewers, 20 times: one wins, the other is refused with a conflict and stays open; one
    revision; the cell holds the winner's text (nothing half-applied, nothing lost)."""
    author, (first, second), role, level = cast
    other_author = UserFactory(username="other-author")
    for n in range(PAIRS):
        skill = new_skill(n, role, level)
        a = propose(skill, author, f"A {n}.")
        b = propose(skill, other_author, f"B {n}.")
        outcomes = run_together(approve(a.pk, first), approve(b.pk, second))
        kinds = [kind for kind, _ in outcomes]
        assert sorted(kinds) == ["approved", "conflict"], outcomes
        winner, loser = (a, b) if kinds[0] == "approved" else (b, a)
        winner.refresh_from_db()
        loser.refresh_from_db()
        skill.refresh_from_db()
        assert (winner.status, loser.status) == (ProposalStatus.APPROVED, ProposalStatus.OPEN)
        assert loser.revision is None
        assert Revision.objects.filter(skill=skill).count() == 2
        assert skill.version == 2
        assert Expectation.objects.get(skill=skill).description == winner.rationale
        latest = Revision.objects.get(skill=skill, version=2)
        assert latest.snapshot["expectations"][0]["description"] == winner.rationale
        assert latest.author_id == winner.author_id
