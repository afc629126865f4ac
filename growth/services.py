"""Writes of a user's growth data. Each function acts for `user` on that user's own rows.

What always holds after a service returns:
- a user has at most one current position, and has one whenever they have any position;
- an assessment's `assessed_description`/`assessed_necessity` are the expectation's text and
  necessity as of the last time its mark or note was set;
- `note_html` is `note` rendered and sanitized (`proposals.markdown.render`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.markdown import render as render_markdown
from skills.models import Expectation, Level, Role

from .models import Assessment, Mark, Position, ShareLink

NOTE_MAX_LENGTH = Assessment._meta.get_field("note").max_length


# --- Positions --------------------------------------------------------------------------------


@transaction.atomic
def position_set(*, user, role: Role, level: Level, make_current: bool = True) -> Position:
    """Add `role` · `level` to the user's positions (once); make it current when asked to,
    or when the user has no current position yet."""
    position, _created = Position.objects.get_or_create(user=user, role=role, level=level)
    has_current = Position.objects.filter(user=user, is_current=True).exists()
    if make_current or not has_current:
        position_make_current(position=position)
    return position


@transaction.atomic
def position_make_current(*, position: Position) -> Position:
    Position.objects.filter(user_id=position.user_id, is_current=True).exclude(
        pk=position.pk
    ).update(is_current=False)
    if not position.is_current:
        position.is_current = True
        position.save(update_fields=["is_current"])
    return position


@transaction.atomic
def position_remove(*, position: Position) -> None:
    """Remove a position; when it was the current one, the newest remaining one becomes it."""
    was_current = position.is_current
    user_id = position.user_id
    position.delete()
    if was_current:
        newest = Position.objects.filter(user_id=user_id).order_by("-created_at", "-pk").first()
        if newest is not None:
            position_make_current(position=newest)


# --- Assessments ------------------------------------------------------------------------------


def _validate(*, mark: str, note: str | None) -> None:
    if mark not in Mark.values:
        raise ValidationError(
            {"mark": _("Choose one of: %(marks)s.") % {"marks": ", ".join(Mark.values)}}
        )
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("A note has at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH}}
        )


@transaction.atomic
def assessment_set(
    *, user, expectation: Expectation, mark: str, note: str | None = None
) -> Assessment:
    """Set the user's mark for `expectation`, and its note unless `note` is None.

    Idempotent. Setting a mark (again) records the expectation as it reads now: an earlier
    "changed since you assessed it" flag is thereby acknowledged.
    """
    _validate(mark=mark, note=note)
    values = {
        "mark": mark,
        "assessed_description": expectation.description,
        "assessed_necessity": expectation.necessity,
        "assessed_at": timezone.now(),
    }
    if note is not None:
        note = note.strip()
        values.update(note=note, note_html=render_markdown(note) if note else "")
    assessment, _created = Assessment.objects.update_or_create(
        user=user,
        skill_id=expectation.skill_id,
        role_id=expectation.role_id,
        level_id=expectation.level_id,
        defaults=values,
    )
    return assessment


def assessment_clear(*, user, expectation: Expectation) -> bool:
    """Remove the user's mark and note for `expectation`; False when there was none."""
    deleted, _detail = Assessment.objects.filter(
        user=user,
        skill_id=expectation.skill_id,
        role_id=expectation.role_id,
        level_id=expectation.level_id,
    ).delete()
    return bool(deleted)


@dataclass
class AssessmentChange:
    """One item of a bulk update: `mark` None removes the mark; `note` None keeps the note."""

    expectation: Expectation
    mark: str | None
    note: str | None = None


@transaction.atomic
def assessments_bulk_set(*, user, changes: list[AssessmentChange]) -> list[Assessment]:
    """Apply every change or none (the first invalid one raises ValidationError).

    Idempotent: applying the same list twice leaves the same marks and notes.
    """
    for change in changes:
        if change.mark is not None:
            _validate(mark=change.mark, note=change.note)
    saved = []
    for change in changes:
        if change.mark is None:
            assessment_clear(user=user, expectation=change.expectation)
        else:
            saved.append(
                assessment_set(
                    user=user, expectation=change.expectation, mark=change.mark, note=change.note
                )
            )
    return saved


# --- Share links ------------------------------------------------------------------------------


def share_link_create(*, user, label: str = "") -> ShareLink:
    return ShareLink.objects.create(user=user, label=label.strip()[:100])


def share_link_revoke(*, link: ShareLink) -> ShareLink:
    """Revoke a link for good (idempotent): its token answers 404 from now on."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link
