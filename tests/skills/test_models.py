import pytest
from django.db import IntegrityError, transaction

from skills.models import Expectation, Level, Necessity
from tests.factories import ExpectationFactory, LevelFactory, RoleFactory, SkillFactory


@pytest.mark.django_db
class TestConstraints:
    def test_one_expectation_per_skill_role_and_level(self):
        """A skill cannot have two expectations for the same role at the same level."""
        first = ExpectationFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Expectation.objects.create(
                skill=first.skill, role=first.role, level=first.level, description="Again."
            )
        other_level = LevelFactory()
        Expectation.objects.create(
            skill=first.skill, role=first.role, level=other_level, description="Fine."
        )
        assert Expectation.objects.filter(skill=first.skill).count() == 2

    def test_necessity_must_be_required_or_optional(self):
        """The database refuses any necessity other than required and optional."""
        with pytest.raises(IntegrityError), transaction.atomic():
            ExpectationFactory(necessity="must")
        assert ExpectationFactory(necessity=Necessity.REQUIRED).is_required

    def test_level_ranks_are_unique(self):
        """Two levels cannot share a rank: the ladder has one order."""
        Level.objects.create(slug="a", name="A", rank=7)
        with pytest.raises(IntegrityError), transaction.atomic():
            Level.objects.create(slug="b", name="B", rank=7)

    def test_slugs_are_unique(self):
        """Skills are addressed by slug, so no two share one."""
        SkillFactory(slug="same")
        with pytest.raises(IntegrityError), transaction.atomic():
            SkillFactory(slug="same")


@pytest.mark.django_db
def test_levels_are_ordered_by_rank_not_by_name_or_creation():
    """The ladder's order comes from the data: ranks, whatever the names."""
    Level.objects.create(slug="zeta", name="Zeta", rank=1)
    Level.objects.create(slug="alpha", name="Alpha", rank=3)
    Level.objects.create(slug="mu", name="Mu", rank=2)
    assert [lvl.slug for lvl in Level.objects.all()] == ["zeta", "mu", "alpha"]


@pytest.mark.django_db
def test_expectations_are_ordered_by_level_rank_then_role_name(levels):
    skill = SkillFactory()
    bea, abe = RoleFactory(name="Bea"), RoleFactory(name="Abe")
    ExpectationFactory(skill=skill, role=bea, level=levels[1])
    ExpectationFactory(skill=skill, role=bea, level=levels[0])
    ExpectationFactory(skill=skill, role=abe, level=levels[1])
    rows = [(e.level.slug, e.role.name) for e in skill.expectations.all()]
    assert rows == [("junior", "Bea"), ("middle", "Abe"), ("middle", "Bea")]
