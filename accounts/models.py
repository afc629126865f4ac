from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. The username is public; the email address never is."""

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("bio"), blank=True, max_length=2000)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The interface language after you log in, and the language of emails."),
    )
    email_notifications = models.BooleanField(
        _("email me my notifications"),
        default=True,
        help_text=_("Besides showing them on the notifications page."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return f"/users/{self.username}/"


class Watch(models.Model):
    """A user follows a skill: they are notified of its changes and discussions.

    `seen_version` is the skill's version when the user last looked; the watchlist shows what
    changed since then.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watches",
        verbose_name=_("user"),
    )
    skill = models.ForeignKey(
        "skills.Skill", on_delete=models.CASCADE, related_name="watches", verbose_name=_("skill")
    )
    seen_version = models.PositiveIntegerField(_("last seen version"), default=0)
    created_at = models.DateTimeField(_("watching since"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="unique_watch_per_user_skill"),
        ]

    def __str__(self):
        return f"{self.user} → {self.skill}"


class NotificationVerb(models.TextChoices):
    COMMENTED = "commented", _("commented")
    PROPOSED = "proposed", _("proposed a change")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrew")
    CHANGES_REQUESTED = "changes_requested", _("asked for changes")
    APPLIED = "applied", _("applied a change")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something happened that `recipient` should know about.

    `event` names the event (e.g. "comment:42"); one recipient gets at most one notification per
    event (a unique constraint), and never for their own action (see `notification_notify`).
    The texts are stored as they were at the time, so a notification still reads well when its
    target is gone; `verb` is translated when shown.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    event = models.CharField(_("event"), max_length=100)
    verb = models.CharField(_("what happened"), max_length=20, choices=NotificationVerb)
    target_title = models.CharField(_("on what"), max_length=200)
    url = models.CharField(_("link"), max_length=500)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_event_and_user"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_verb_display()} {self.target_title}"

    @property
    def is_read(self):
        return self.read_at is not None
