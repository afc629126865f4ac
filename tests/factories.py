import factory
from django.contrib.auth import get_user_model

from skills.models import Domain, Expectation, Level, Necessity, Role, RoleLevel, Skill, SkillGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        if create:
            obj.save()


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    name = factory.Sequence(lambda n: f"Domain {n}")
    slug = factory.Sequence(lambda n: f"domain-{n}")


class SkillGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillGroup

    domain = factory.SubFactory(DomainFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    group = factory.SubFactory(SkillGroupFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")
    summary = "A skill."


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Level {n}")
    slug = factory.Sequence(lambda n: f"level-{n}")
    rank = factory.Sequence(lambda n: n + 100)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.Sequence(lambda n: f"role-{n}")


class RoleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLevel

    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    focus = "Focus."
    stack = factory.LazyFunction(lambda: ["Python"])


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expectation

    skill = factory.SubFactory(SkillFactory)
    role = factory.SubFactory(RoleFactory)
    level = factory.SubFactory(LevelFactory)
    necessity = Necessity.OPTIONAL
    description = factory.Sequence(lambda n: f"Expectation text {n}.")
