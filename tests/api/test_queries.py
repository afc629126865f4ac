"""Every endpoint runs a fixed number of queries, whatever the number of rows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.services import skill_record_change
from tests.api.conftest import build_matrix
from tests.factories import ExpectationFactory, RoleFactory, SkillFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/domains/",
    "/api/v1/groups/",
    "/api/v1/levels/",
    "/api/v1/skills/",
    "/api/v1/skills/?search=skill",
    "/api/v1/skills/?role=s-role-0&domain=s-domain",
    "/api/v1/skills/s-skill-000/",
    "/api/v1/roles/",
    "/api/v1/roles/s-role-0/",
    "/api/v1/expectations/",
    "/api/v1/expectations/?role=s-role-0&level=junior&necessity=optional",
    "/api/v1/skills/s-skill-000/revisions/",
    "/api/v1/skills/s-skill-000/revisions/2/",
]
#: Neither grows with the matrix: one level list, one fixed revision.
FIXED_SIZE = {"/api/v1/levels/", "/api/v1/skills/s-skill-000/revisions/2/"}


def grow(matrix, levels):
    """28 more skills, 4 more roles with expectations, one more revision per skill."""
    for n in range(2, 30):
        skill = SkillFactory(group=matrix["group"], slug=f"s-skill-{n:03d}", name=f"Skill {n}")
        for role in matrix["roles"]:
            ExpectationFactory(skill=skill, role=role, level=levels[0])
        skill_record_change(skill=skill, summary="Imported")
    for n in range(4):
        role = RoleFactory(slug=f"s-extra-role-{n}", domain=matrix["domain"])
        for skill in matrix["skills"]:
            ExpectationFactory(skill=skill, role=role, level=levels[2])
    for skill in matrix["skills"]:
        skill_record_change(skill=skill, summary="More roles")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_query_count_does_not_grow_with_rows(api, levels, url, django_assert_max_num_queries):
    """An endpoint costs no more queries with 30 skills × 6 roles than with 2 skills × 2."""
    matrix = build_matrix(skills=2, roles=2, levels=levels)
    with CaptureQueriesContext(connection) as small_queries:
        small = api.get(url)
    assert small.status_code == 200, small.content
    assert len(small_queries) <= 9  # including the page cache's generation check

    grow(matrix, levels)
    with django_assert_max_num_queries(len(small_queries)):
        large = api.get(url)
    assert large.status_code == 200
    if url not in FIXED_SIZE:
        assert len(large.content) > len(small.content)  # the answer did grow
