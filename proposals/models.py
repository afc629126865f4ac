from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RejectionReason(models.TextChoices):
    """The short list a reviewer picks from when rejecting; free text explains the rest."""

    DUPLICATE = "duplicate", _("Duplicate of another proposal")
    INACCURATE = "inaccurate", _("Not accurate")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope for this skill")
    UNCLEAR = "unclear", _("Unclear or incomplete")
    OTHER = "other", _("Other reason")


class ProposalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ProposalStatus.OPEN)


class Proposal(models.Model):
    """A suggested change of one skill: a change set against the version its author saw.

    `changes` is a list of cells, each `{"role", "level", "necessity", "description"}` (set the
    cell, adding it when missing) or `{"role", "level", "delete": true}` (remove it); role and
    level by slug. `summary` is the skill's new summary, or null when it stays as it is. The
    services (`proposals.services`) decide every transition; approval applies the change set
    through `skills.services.skill_apply_changes` and points `revision` at what it wrote.
    """

    skill = models.ForeignKey(
        "skills.Skill", on_delete=models.CASCADE, related_name="proposals", verbose_name=_("skill")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    base_version = models.PositiveIntegerField(
        _("based on version"), help_text=_("The skill's version the author started from.")
    )
    changes = models.JSONField(_("changes"), default=list)
    # Null: the summary stays as it is; "" would empty it.
    summary = models.TextField(_("new summary"), null=True, blank=True)  # noqa: DJ001
    rationale = models.TextField(_("rationale"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus, default=ProposalStatus.OPEN
    )
    changes_requested = models.BooleanField(
        _("changes requested"),
        default=False,
        help_text=_("A reviewer asked for changes that the author has not made yet."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    rejection_reason = models.CharField(
        _("reason"), max_length=20, choices=RejectionReason, blank=True
    )
    rejection_note = models.TextField(_("reviewer's note"), blank=True, max_length=5000)
    revision = models.OneToOneField(
        "skills.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("revision"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.APPROVED, revision__isnull=False)
                | ~Q(status=ProposalStatus.APPROVED),
                name="approved_proposal_has_revision",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="proposal_status_created"),
            models.Index(fields=["skill", "status"], name="proposal_skill_status"),
        ]
        # Its full name, "proposals.review_proposal", is what
        # skillmatrix.permissions.REVIEW_PERMISSION checks; the "Reviewers" group holds it.
        permissions = [("review_proposal", _("Can review proposals and moderate comments"))]

    def __str__(self):
        return _("#%(id)s %(title)s") % {"id": self.pk, "title": self.title}

    def get_absolute_url(self):
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        """The rationale's first line, short: what lists show."""
        first_line = (self.rationale or "").strip().splitlines()[0:1]
        return Truncator(first_line[0] if first_line else "").chars(80)

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN

    @property
    def cell_count(self) -> int:
        return len(self.changes or [])


class ProposalEventKind(models.TextChoices):
    CREATED = "created", _("proposed")
    EDITED = "edited", _("edited")
    CHANGES_REQUESTED = "changes_requested", _("asked for changes")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrew")


class ProposalEvent(models.Model):
    """The audit trail of a proposal: one row per transition, written by the same service in
    the same transaction as the transition itself."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("proposal")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("what"), max_length=20, choices=ProposalEventKind)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self):
        return f"{self.proposal_id} {self.kind}"


class CommentQuerySet(models.QuerySet):
    def on_skill(self, skill):
        return self.filter(skill=skill)

    def on_proposal(self, proposal):
        return self.filter(proposal=proposal)

    def visible(self):
        """Comments that are not deleted."""
        return self.filter(deleted_at__isnull=True)


class Comment(models.Model):
    """A Markdown comment on a skill or on a proposal.

    The target is one nullable foreign key per kind of thing commented on, with a check
    constraint that exactly one is set; adding a kind means a new nullable key and a wider
    constraint, and no existing row changes. `body_html` is `body` rendered and sanitized by
    `proposals.markdown.render` when written: pages never render Markdown themselves.

    A reviewer's request for changes on a proposal is a comment with `requests_changes` set.

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
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("proposal"),
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
    requests_changes = models.BooleanField(_("asks for changes"), default=False)
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
            models.CheckConstraint(
                condition=Q(skill__isnull=False, proposal__isnull=True)
                | Q(skill__isnull=True, proposal__isnull=False),
                name="comment_has_one_target",
            ),
        ]
        indexes = [
            models.Index(fields=["skill", "created_at"], name="comment_skill_created"),
            models.Index(fields=["proposal", "created_at"], name="comment_proposal_created"),
        ]

    def __str__(self):
        return _("Comment %(id)s by %(author)s") % {"id": self.pk, "author": self.author}

    def get_absolute_url(self):
        if self.proposal_id:
            return (
                f"{reverse('proposals:detail', kwargs={'pk': self.proposal_id})}#comment-{self.pk}"
            )
        return f"{reverse('skills:detail', kwargs={'slug': self.skill.slug})}#comment-{self.pk}"

    @property
    def target(self):
        return self.proposal if self.proposal_id else self.skill

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def deleted_by_author(self):
        return self.is_deleted and self.deleted_by_id == self.author_id
