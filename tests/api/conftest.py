import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from skillmatrix.api.services import api_token_create
from skills.models import Necessity
from skills.services import skill_record_change
from tests.factories import (
    DomainFactory,
    ExpectationFactory,
    RoleFactory,
    RoleLevelFactory,
    SkillFactory,
    SkillGroupFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def member(db):
    return UserFactory(username="member", display_name="A Member")


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", is_staff=True)


@pytest.fixture
def member_key(member):
    _token, key = api_token_create(user=member, name="tests")
    return key


def build_matrix(*, skills: int, levels, roles: int = 2, prefix: str = "s"):
    """`skills` skills in one group, each with a required and an optional expectation per
    role at the first two levels, and two revisions (an import and an edit)."""
    domain = DomainFactory(slug=f"{prefix}-domain", name="Data")
    group = SkillGroupFactory(domain=domain, slug=f"{prefix}-group", name="Pipelines")
    role_objs = [
        RoleFactory(slug=f"{prefix}-role-{i}", name=f"Role {i}", domain=domain)
        for i in range(roles)
    ]
    for role in role_objs:
        for level in levels[:2]:
            RoleLevelFactory(role=role, level=level, focus=f"{role.name} at {level.name}")
    made = []
    for n in range(skills):
        skill = SkillFactory(group=group, slug=f"{prefix}-skill-{n:03d}", name=f"Skill {n:03d}")
        for role in role_objs:
            ExpectationFactory(
                skill=skill,
                role=role,
                level=levels[0],
                necessity=Necessity.OPTIONAL,
                description=f"Knows the basics of skill {n}.",
            )
            ExpectationFactory(
                skill=skill,
                role=role,
                level=levels[1],
                necessity=Necessity.REQUIRED,
                description=f"Applies skill {n} alone.",
            )
        skill_record_change(skill=skill, summary="Imported")
        expectation = skill.expectations.first()
        expectation.description = f"Understands skill {n} well."
        expectation.save()
        skill_record_change(skill=skill, summary="Clearer wording", author=None)
        made.append(skill)
    return {"domain": domain, "group": group, "roles": role_objs, "skills": made}


@pytest.fixture
def matrix(levels):
    return build_matrix(skills=3, levels=levels)
