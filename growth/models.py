"""What belongs to one person's growth: their positions, self-assessment and share links.

All of it is private to its owner (see `skillmatrix.permissions`): nothing here is shown to
other members, reviewers or staff, and none of it is registered in the admin. Every row hangs
off the user with CASCADE, so deleting an account deletes all of it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from skills.models import Necessity


class Position(models.Model):
    """A role and level the user holds (or held, or aims at); one of them is current."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("user"),
    )
    role = models.ForeignKey(
        "skills.Role", on_delete=models.CASCADE, related_name="+", verbose_name=_("role")
    )
    level = models.ForeignKey(
        "skills.Level", on_delete=models.CASCADE, related_name="+", verbose_name=_("level")
    )
    is_current = models.BooleanField(_("current"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-is_current", "role__name", "level__rank"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "level"], name="unique_position_per_user"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_current=True), name="one_current_position_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.role} · {self.level}"

    @property
    def param(self) -> str:
        """The position as a gap report parameter: `role:level`."""
        return f"{self.role.slug}:{self.level.slug}"


class Mark(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet")
    LEARNING = "learning", _("Learning")
    MEETS = "meets", _("Meets")


class Assessment(models.Model):
    """The user's own mark (and private evidence note) for one expectation.

    An expectation is identified by its cell (skill, role, level), unique in the matrix, rather
    than by its row id: an approved change may remove a row and a later one add it back, and
    the mark belongs to the cell. `assessed_description` and `assessed_necessity` keep the
    expectation as it read when the mark was last set, so that a later change of the matrix
    can be shown ("expectation changed since you assessed it") with its diff.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("user"),
    )
    skill = models.ForeignKey(
        "skills.Skill", on_delete=models.CASCADE, related_name="+", verbose_name=_("skill")
    )
    role = models.ForeignKey(
        "skills.Role", on_delete=models.CASCADE, related_name="+", verbose_name=_("role")
    )
    level = models.ForeignKey(
        "skills.Level", on_delete=models.CASCADE, related_name="+", verbose_name=_("level")
    )
    mark = models.CharField(_("mark"), max_length=8, choices=Mark)
    note = models.TextField(_("evidence note"), blank=True, max_length=5000)
    note_html = models.TextField(editable=False, blank=True)
    assessed_description = models.TextField(_("expectation when assessed"))
    assessed_necessity = models.CharField(
        _("necessity when assessed"), max_length=8, choices=Necessity
    )
    assessed_at = models.DateTimeField(_("assessed"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["role__name", "level__rank", "skill__name"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "skill", "role", "level"], name="one_assessment_per_user_cell"
            ),
            models.CheckConstraint(condition=Q(mark__in=Mark.values), name="assessment_mark_valid"),
        ]
        indexes = [
            models.Index(fields=["user", "role", "level"], name="assessment_user_role_level"),
        ]

    def __str__(self):
        return f"{self.skill_id} · {self.role_id} · {self.level_id}"


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLink(models.Model):
    """A read-only link to the user's growth pages, for a manager or mentor; revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="share_links",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_share_token)
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Who the link is for.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["revoked_at", "-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return self.label or _("Share link %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return reverse("growth:shared", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
