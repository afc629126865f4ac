"""The canonical matrix: what each role is expected to know about each skill at each level."""

import functools

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

#: The text-search configuration used for the catalogue on PostgreSQL.
SEARCH_CONFIG = "english"


@functools.cache
def catalogue_url() -> str:
    """The catalogue's path, reversed once: it is linked from every row of many pages."""
    return reverse("skills:catalogue")


class Domain(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{catalogue_url()}?domain={self.slug}"


class SkillGroup(models.Model):
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="groups", verbose_name=_("domain")
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["domain__position", "position", "name"]
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{catalogue_url()}?group={self.slug}"


class SkillQuerySet(models.QuerySet):
    def with_counts(self):
        """Annotate what the skill page's header and the catalogue show."""
        return self.annotate(
            role_count=Count("expectations__role", distinct=True),
            level_count=Count("expectations__level", distinct=True),
            required_count=Count(
                "expectations", filter=Q(expectations__necessity=Necessity.REQUIRED)
            ),
            optional_count=Count(
                "expectations", filter=Q(expectations__necessity=Necessity.OPTIONAL)
            ),
        )


class Skill(models.Model):
    group = models.ForeignKey(
        SkillGroup, on_delete=models.PROTECT, related_name="skills", verbose_name=_("group")
    )
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Increases by one at every applied change.")
    )
    #: Name, summary, group and expectation texts in one field, kept by the services that
    #: change a skill; the catalogue searches it (full-text on PostgreSQL, where a GIN index
    #: over its tsvector is created by migration 0002, PostgreSQL only).
    search_document = models.TextField(editable=False, blank=True, default="")
    #: On PostgreSQL, `search_document` parsed for full-text search; a trigger created by
    #: migration 0004 keeps it (and a GIN index covers it). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:detail", kwargs={"slug": self.slug})


class Level(models.Model):
    """A step of the career ladder; their order is `rank`, configured as data."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self):
        return self.name


class Role(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    domain = models.ForeignKey(
        Domain,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("domain"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:role_detail", kwargs={"slug": self.slug})


class RoleLevel(models.Model):
    """What a role concentrates on at one level, and the technologies it works with there."""

    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, related_name="role_levels", verbose_name=_("role")
    )
    level = models.ForeignKey(
        Level, on_delete=models.CASCADE, related_name="role_levels", verbose_name=_("level")
    )
    focus = models.TextField(_("focus"), blank=True)
    stack = models.JSONField(_("technology stack"), default=list, blank=True)

    class Meta:
        ordering = ["role", "level__rank"]
        verbose_name = _("role level")
        verbose_name_plural = _("role levels")
        constraints = [
            models.UniqueConstraint(fields=["role", "level"], name="unique_role_level"),
        ]

    def __str__(self):
        return f"{self.role} · {self.level}"


class Necessity(models.TextChoices):
    REQUIRED = "required", _("Required")
    OPTIONAL = "optional", _("Optional")


class Expectation(models.Model):
    """What `role` must (or may) be able to do with `skill` at `level`."""

    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="expectations", verbose_name=_("skill")
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="expectations", verbose_name=_("role")
    )
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="expectations", verbose_name=_("level")
    )
    necessity = models.CharField(
        _("necessity"), max_length=8, choices=Necessity, default=Necessity.OPTIONAL
    )
    description = models.TextField(_("description"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["level__rank", "role__name"]
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        constraints = [
            models.UniqueConstraint(
                fields=["skill", "role", "level"], name="unique_expectation_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(necessity__in=Necessity.values), name="expectation_necessity_valid"
            ),
        ]
        indexes = [models.Index(fields=["role", "level"], name="expectation_role_level")]

    def __str__(self):
        return f"{self.skill} · {self.role} · {self.level}"

    @property
    def is_required(self):
        return self.necessity == Necessity.REQUIRED


class Revision(models.Model):
    """One applied change of a skill, with the full state it left behind.

    History, diffs and reverts are all derived from `snapshot`; see `skills.services`.
    """

    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("skill")
    )
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_revisions",
        verbose_name=_("author"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_revisions",
        verbose_name=_("approver"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["skill", "version"], name="unique_skill_version"),
        ]

    def __str__(self):
        return f"{self.skill} v{self.version}"

    def get_absolute_url(self):
        return reverse(
            "skills:revision_detail", kwargs={"slug": self.skill.slug, "version": self.version}
        )


class MatrixState(models.Model):
    """One row whose `generation` takes a new (random) value with every change to the matrix.

    Cached pages and API answers are keyed on it (see `skills.cache`), so a change is visible
    at once in every process, whatever cache backend each one uses.
    """

    generation = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("matrix state")

    def __str__(self):
        return f"generation {self.generation}"
