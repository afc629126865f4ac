"""The proposal pages run a fixed number of queries, whatever the number of rows they show."""

import pytest

from proposals import services
from tests.factories import ExpectationFactory, RoleFactory, SkillFactory, UserFactory

from .conftest import cell

pytestmark = pytest.mark.django_db


def add_proposals(n, *, levels, reviewer_comments=0):
    created = []
    for i in range(n):
        skill = SkillFactory()
        role = RoleFactory()
        ExpectationFactory(skill=skill, role=role, level=levels[0])
        author = UserFactory()
        created.append(
            services.proposal_create(
                author=author,
                skill=skill,
                base_version=skill.version,
                changes=[cell(role.slug, levels[1].slug, "required", f"Row {i}.")],
                rationale=f"Proposal {i}",
            )
        )
    return created


def count(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", ["/proposals/", "/review/", "/proposals/?status=open"])
def test_lists_are_constant_in_rows(client, levels, reviewer, url, django_assert_max_num_queries):
    """3 proposals or 30: the same number of queries."""
    client.force_login(reviewer)
    add_proposals(3, levels=levels)
    few = count(client, url, django_assert_max_num_queries)
    add_proposals(27, levels=levels)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30


def test_the_proposal_page_is_constant_in_cells_comments_and_events(
    client, levels, reviewer, django_assert_max_num_queries
):
    """A proposal with 1 cell and no comment, or with 15 cells, 10 comments and a request for
    changes: the same number of queries."""
    client.force_login(reviewer)
    [small] = add_proposals(1, levels=levels)
    few = count(client, f"/proposals/{small.pk}/", django_assert_max_num_queries)

    skill = SkillFactory()
    roles = [RoleFactory() for _ in range(3)]
    for role in roles:
        ExpectationFactory(skill=skill, role=role, level=levels[0])
    changes = [cell(role.slug, level.slug, "required", "X.") for role in roles for level in levels]
    big = services.proposal_create(
        author=UserFactory(), skill=skill, base_version=skill.version, changes=changes,
        rationale="Big",
    )  # fmt: skip
    for i in range(10):
        services.proposal_comment_create(author=UserFactory(), proposal=big, body=f"c{i}")
    services.proposal_request_changes(proposal=big, by=reviewer, message="More.")
    with django_assert_max_num_queries(few):
        response = client.get(f"/proposals/{big.pk}/")
    assert len(response.context["page"].comments) == 11
    assert len(response.context["page"].view.changed) == 15


def test_history_is_constant_in_revisions(client, matrix, reviewer, django_assert_max_num_queries):
    """The history page links each revision's proposal in one query."""
    few = count(client, "/skills/ml-deployment/history/", django_assert_max_num_queries)
    for i in range(6):
        proposal = services.proposal_create(
            author=UserFactory(), skill=matrix, base_version=matrix.version,
            changes=[cell("llm-engineer", "senior", "required", f"v{i}")], rationale=f"{i}",
        )  # fmt: skip
        services.proposal_approve(proposal=proposal, by=reviewer)
        matrix.refresh_from_db()
    with django_assert_max_num_queries(few):
        response = client.get("/skills/ml-deployment/history/")
    assert response.content.decode().count("/proposals/") == 6
