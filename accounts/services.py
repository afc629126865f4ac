"""Writes for people and what belongs to them: watches, notifications, profiles."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from skills.cache import matrix_changed
from skills.models import Skill

from .models import Notification, NotificationVerb, User, Watch
from .tasks import send_email

# --- Notifications --------------------------------------------------------------------------


@transaction.atomic
def notification_notify(
    *,
    event: str,
    verb: NotificationVerb | str,
    actor: User | None,
    recipients: Iterable[User],
    target_title: str,
    url: str,
    excerpt: str = "",
) -> list[Notification]:
    """Notify each recipient once of `event`: the one function that creates notifications.

    What always holds:
    - `event` is a stable name for what happened ("comment:42", "proposal:7:approved"); a user
      gets at most one notification per event, however often this is called or however many
      times they appear in `recipients` (e.g. as a watcher *and* the proposal's author);
    - the actor is never notified of their own action, nor are inactive users;
    - emails go only to recipients who want them and have an address, each in the recipient's
      preferred language, and only after the transaction commits (a rollback sends nothing).

    Returns the notifications created by this call.
    """
    verb = NotificationVerb(verb)
    wanted = {u.pk: u for u in recipients if u is not None and u.is_active}
    if actor is not None:
        wanted.pop(actor.pk, None)
    already = set(
        Notification.objects.filter(event=event, recipient_id__in=wanted).values_list(
            "recipient_id", flat=True
        )
    )
    new = [
        Notification(
            recipient=user,
            actor=actor,
            event=event,
            verb=verb,
            target_title=target_title[:200],
            url=url[:500],
            excerpt=excerpt[:300],
        )
        for pk, user in wanted.items()
        if pk not in already
    ]
    Notification.objects.bulk_create(new, ignore_conflicts=True)  # a racing duplicate loses
    created = list(
        Notification.objects.filter(event=event, recipient_id__in=[n.recipient_id for n in new])
        .select_related("recipient")
        .order_by("pk")
    )
    mails = [n for n in created if n.recipient.email_notifications and n.recipient.email]
    if mails:
        transaction.on_commit(lambda: _email_notifications(mails))
    return created


def _email_notifications(notifications: list[Notification]) -> None:
    for notification in notifications:
        recipient = notification.recipient
        language = recipient.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"notification": notification, "site_url": settings.SKILLMATRIX_SITE_URL}
            subject = render_to_string("accounts/email/notification_subject.txt", context)
            body = render_to_string("accounts/email/notification_body.txt", context)
        send_email.enqueue(subject=" ".join(subject.split()), body=body, to=[recipient.email])


def notification_mark_read(
    *, user: User, notification_id: int | None = None, ids: Iterable[int] | None = None
) -> int:
    """Mark one of `user`'s notifications, or those with the given `ids`, or (with neither)
    all of them read.

    Returns how many changed; another user's notification is never touched (0). Given `ids`,
    each must be one of the user's notifications, else ValidationError (field `ids`) and
    nothing changes; whether another user's notification has such an id is not revealed.
    """
    unread = Notification.objects.unread().filter(recipient=user)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    if ids is not None:
        ids = set(ids)
        mine = set(
            Notification.objects.filter(recipient=user, pk__in=ids).values_list("pk", flat=True)
        )
        if unknown := sorted(ids - mine):
            raise ValidationError(
                {
                    "ids": ngettext(
                        "You have no notification with the id %(ids)s.",
                        "You have no notifications with the ids %(ids)s.",
                        len(unknown),
                    )
                    % {"ids": ", ".join(map(str, unknown[:10]))}
                },
                code="does_not_exist",
            )
        unread = unread.filter(pk__in=mine)
    return unread.update(read_at=timezone.now())


# --- Watching -------------------------------------------------------------------------------


def watch_create(*, user: User, skill: Skill) -> Watch:
    """Watch a skill. Idempotent: watching twice is one watch (the first one)."""
    watch, created = Watch.objects.get_or_create(
        user=user, skill=skill, defaults={"seen_version": skill.version}
    )
    if created:
        matrix_changed()  # the watcher count that anonymous visitors see has changed
    return watch


def watch_delete(*, user: User, skill: Skill) -> bool:
    """Stop watching. Idempotent: returns whether there was a watch to remove."""
    deleted, _ = Watch.objects.filter(user=user, skill=skill).delete()
    if deleted:
        matrix_changed()  # the watcher count that anonymous visitors see has changed
    return bool(deleted)


def watch_mark_seen(*, user: User, skill: Skill | None = None) -> int:
    """Record that `user` has seen the current version of one watched skill (or of all)."""
    watches = Watch.objects.filter(user=user).select_related("skill")
    if skill is not None:
        watches = watches.filter(skill=skill)
    changed = [w for w in watches if w.seen_version != w.skill.version]
    for watch in changed:
        watch.seen_version = watch.skill.version
    Watch.objects.bulk_update(changed, ["seen_version"])
    return len(changed)


# --- Profile --------------------------------------------------------------------------------


def user_update_profile(
    *,
    user: User,
    display_name: str,
    bio: str,
    preferred_language: str,
    email_notifications: bool,
) -> User:
    user.display_name = display_name.strip()
    user.bio = bio.strip()
    user.preferred_language = preferred_language
    user.email_notifications = email_notifications
    user.full_clean(exclude=["password", "username", "email"])
    user.save(update_fields=["display_name", "bio", "preferred_language", "email_notifications"])
    return user
