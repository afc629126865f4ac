import pytest
from django.contrib.auth.models import Group, Permission

from skillmatrix import permissions
from skills.models import Necessity
from skills.services import skill_record_change
from tests.factories import ExpectationFactory, RoleFactory, SkillFactory, UserFactory


def make_reviewer(user):
    """Put `user` in the Reviewers group. The group comes from a migration; a transactional
    test's flush removes it (but not the permission, recreated after each flush)."""
    group, created = Group.objects.get_or_create(name=permissions.REVIEWERS_GROUP)
    if created:
        app_label, codename = permissions.REVIEW_PERMISSION.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user.groups.add(group)
    return user


@pytest.fixture
def reviewer(db):
    return make_reviewer(UserFactory(username="rita"))


@pytest.fixture
def other_reviewer(db):
    return make_reviewer(UserFactory(username="rob"))


@pytest.fixture
def member(db):
    return UserFactory(username="mia")


@pytest.fixture
def matrix(levels):
    return build_matrix(levels)


def build_matrix(levels):
    """ML Deployment at version 1 (with its revision): two roles, three cells."""
    skill = SkillFactory(name="ML Deployment", slug="ml-deployment", summary="Ship models.")
    ds = RoleFactory(name="Data Scientist", slug="data-scientist")
    llm = RoleFactory(name="LLM Engineer", slug="llm-engineer")
    junior, middle, senior = levels[0], levels[1], levels[2]
    ExpectationFactory(
        skill=skill,
        role=ds,
        level=junior,
        necessity=Necessity.OPTIONAL,
        description="Knows what a model server is.",
    )
    ExpectationFactory(
        skill=skill,
        role=ds,
        level=middle,
        necessity=Necessity.REQUIRED,
        description="Deploys a model behind an API.",
    )
    ExpectationFactory(
        skill=skill, role=llm, level=senior, necessity=Necessity.OPTIONAL,
        description="Serves LLMs with batching.",
    )  # fmt: skip
    skill_record_change(skill=skill, summary="Imported")
    skill.refresh_from_db()
    assert skill.version == 1
    return skill


def cell(role, level, necessity="optional", description="Text."):
    return {"role": role, "level": level, "necessity": necessity, "description": description}


def delete(role, level):
    return {"role": role, "level": level, "delete": True}
