from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CommentQuerySet(models.QuerySet):
    def on_skill(self, skill):
        return self.filter(skill=skill)

    def visible(self):
        """Comments that are not deleted."""
        return self.filter(deleted_at__isnull=True)


class Comment(models.Model):
    """A Markdown comment on a skill (and, with the proposals workflow, on a proposal).

    The target is one nullable foreign key per kind of thing commented on, with a check
    constraint that exactly one is set; adding a kind means a new nullable key and a wider
    constraint, and no existing row changes. `body_html` is `body` rendered and sanitized by
    `proposals.markdown.render` when written: pages never render Markdown themselves.

    A deleted comment keeps its row (so that the thread's order and counts stay honest) but not
    its text: `deleted_at` and `deleted_by` say who removed it.
    """

    skill = models.ForeignKey(
        "skills.Skill",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("skill"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=Q(skill__isnull=False), name="comment_has_target"),
        ]
        indexes = [models.Index(fields=["skill", "created_at"], name="comment_skill_created")]
        # The reviewers' permission lives here until the Proposal model exists; its full name,
        # "proposals.review_proposal", is what skillmatrix.permissions.REVIEW_PERMISSION checks.
        permissions = [("review_proposal", _("Can review proposals and moderate comments"))]

    def __str__(self):
        return _("Comment %(id)s by %(author)s") % {"id": self.pk, "author": self.author}

    def get_absolute_url(self):
        return f"{reverse('skills:detail', kwargs={'slug': self.skill.slug})}#comment-{self.pk}"

    @property
    def target(self):
        return self.skill

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def deleted_by_author(self):
        return self.is_deleted and self.deleted_by_id == self.author_id
