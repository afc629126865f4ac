"""Pages run a fixed number of queries, however many rows they show."""

import pytest

from tests.factories import ExpectationFactory, RoleFactory, RoleLevelFactory, SkillFactory
from tests.queries import count_queries


def skill_with_expectations(levels, slug, n_roles):
    skill = SkillFactory(slug=slug)
    roles = [RoleFactory() for _ in range(n_roles)]
    for role in roles:
        for level in levels:
            ExpectationFactory(skill=skill, role=role, level=level)
    return roles[0]


@pytest.mark.django_db
def test_skill_page_queries_do_not_grow_with_expectations(client, levels):
    """The same count for a skill with 10 and with 100 expectations. Inside a transaction (as
    here) the small tables (levels, roles) are read on each view."""
    small_role = skill_with_expectations(levels, "small", n_roles=2)
    large_role = skill_with_expectations(levels, "large", n_roles=20)
    small = count_queries(client, f"/skills/small/?role={small_role.slug}&level=junior")
    large = count_queries(client, f"/skills/large/?role={large_role.slug}&level=junior")
    assert small == large
    assert large <= 6


@pytest.mark.django_db(transaction=True)
def test_skill_page_queries_as_served(client, levels, settings):
    """As production serves it, the page cache aside: the small tables are kept between
    requests (skills.selectors.matrix_reference), so a view reads the matrix generation, the
    skill, its expectations and the community counts — the same four for 10 or 100 rows."""
    settings.SKILLMATRIX_PAGE_CACHE_SECONDS = 0
    small_role = skill_with_expectations(levels, "small", n_roles=2)
    large_role = skill_with_expectations(levels, "large", n_roles=20)
    client.get("/skills/small/")  # the first view reads the small tables
    small = count_queries(client, f"/skills/small/?role={small_role.slug}&level=junior")
    large = count_queries(client, f"/skills/large/?role={large_role.slug}&level=junior")
    assert small == large == 4


@pytest.mark.django_db
def test_role_page_queries_do_not_grow_with_skills(client, levels):
    """The same count for a role with 5 and with 500 skills."""
    counts = []
    for n_skills in (5, 500):
        role = RoleFactory()
        for level in levels:
            RoleLevelFactory(role=role, level=level)
        for i in range(n_skills):
            ExpectationFactory(role=role, level=levels[i % 5])
        counts.append(count_queries(client, f"/roles/{role.slug}/"))
    assert counts[0] == counts[1]
    assert counts[1] <= 7


@pytest.mark.django_db
def test_catalogue_and_home_queries_do_not_grow_with_skills(client, levels):
    role = RoleFactory(slug="dev")
    ExpectationFactory(role=role, level=levels[0])
    few_catalogue = count_queries(client, "/skills/?role=dev")
    few_home = count_queries(client, "/")
    for i in range(60):
        ExpectationFactory(role=role, level=levels[i % 5])
    assert count_queries(client, "/skills/?role=dev") == few_catalogue
    assert count_queries(client, "/") == few_home


@pytest.mark.django_db
def test_compare_queries_do_not_grow(client, levels):
    role = RoleFactory(slug="dev")
    ExpectationFactory(role=role, level=levels[1])
    few = count_queries(client, "/roles/dev/compare/?from=middle&to=senior")
    for _ in range(40):
        skill = SkillFactory()
        ExpectationFactory(skill=skill, role=role, level=levels[1])
        ExpectationFactory(skill=skill, role=role, level=levels[2])
    assert count_queries(client, "/roles/dev/compare/?from=middle&to=senior") == few
