"""A small matrix with two roles, for gap reports within and across roles.

Data Scientist (ds) and LLM Engineer (llm) on the five-step ladder; skills:
- python: ds middle optional, ds senior required, llm senior required
- stats:  ds middle required, ds senior required (deeper)
- prompts: llm middle optional, llm senior required
- evals:  llm senior optional
- sql:    ds senior optional
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from skillmatrix import permissions
from skills.models import Expectation, Level, Necessity, Role
from tests.factories import ExpectationFactory, RoleFactory, SkillFactory, UserFactory

REQUIRED, OPTIONAL = Necessity.REQUIRED, Necessity.OPTIONAL
ROWS = [
    ("python", "ds", "middle", OPTIONAL, "Writes clean notebooks."),
    ("python", "ds", "senior", REQUIRED, "Writes tested, packaged Python."),
    ("python", "llm", "senior", REQUIRED, "Builds async Python services."),
    ("stats", "ds", "middle", REQUIRED, "Applies hypothesis tests."),
    ("stats", "ds", "senior", REQUIRED, "Designs experiments with power analysis."),
    ("prompts", "llm", "middle", OPTIONAL, "Writes prompts with examples."),
    ("prompts", "llm", "senior", REQUIRED, "Designs prompt pipelines with evaluation."),
    ("evals", "llm", "senior", OPTIONAL, "Builds evaluation sets for LLM output."),
    ("sql", "ds", "senior", OPTIONAL, "Writes window functions."),
]


@dataclass
class Matrix:
    roles: dict[str, Role]
    levels: dict[str, Level]
    skills: dict
    expectations: dict[tuple[str, str, str], Expectation]

    def exp(self, skill, role, level) -> Expectation:
        return self.expectations[(skill, role, level)]


@pytest.fixture
def matrix(levels):
    roles = {
        "ds": RoleFactory(slug="ds", name="Data Scientist"),
        "llm": RoleFactory(slug="llm", name="LLM Engineer"),
    }
    by_level = {level.slug: level for level in levels}
    skills = {}
    expectations = {}
    for skill_slug, role, level, necessity, text in ROWS:
        if skill_slug not in skills:
            skills[skill_slug] = SkillFactory(slug=skill_slug, name=skill_slug.title())
        expectations[(skill_slug, role, level)] = ExpectationFactory(
            skill=skills[skill_slug],
            role=roles[role],
            level=by_level[level],
            necessity=necessity,
            description=text,
        )
    return Matrix(roles, by_level, skills, expectations)


@pytest.fixture
def people(db):
    """Everyone of the privacy table but the anonymous visitor."""
    reviewer = UserFactory(username="rev")
    reviewer.groups.add(Group.objects.get(name=permissions.REVIEWERS_GROUP))
    return {
        "owner": UserFactory(username="owner", display_name="Olga Owner"),
        "member": UserFactory(username="member"),
        "reviewer": reviewer,
        "staff": UserFactory(username="staff", is_staff=True, is_superuser=True),
    }
