"""Positions, marks and notes: the services' rules, and marks surviving changes of the matrix."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from growth import selectors, services
from growth.models import Assessment, Position, ShareLink
from skills.models import Expectation, Necessity
from skills.services import skill_record_change
from tests.factories import ExpectationFactory

pytestmark = pytest.mark.django_db


# --- Positions --------------------------------------------------------------------------------


def test_a_user_has_one_current_position(matrix, user):
    """Setting a new current position un-sets the previous one; both stay listed."""
    first = services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    second = services.position_set(
        user=user, role=matrix.roles["llm"], level=matrix.levels["senior"]
    )
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)
    assert Position.objects.filter(user=user).count() == 2
    assert selectors.current_position(user=user) == second


def test_the_database_refuses_two_current_positions(matrix, user):
    services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            user=user, role=matrix.roles["llm"], level=matrix.levels["senior"], is_current=True
        )


def test_a_first_position_is_current_even_when_not_asked(matrix, user):
    position = services.position_set(
        user=user, role=matrix.roles["ds"], level=matrix.levels["middle"], make_current=False
    )
    assert position.is_current


def test_setting_the_same_position_twice_keeps_one_row(matrix, user):
    for _ in range(2):
        services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    assert Position.objects.filter(user=user).count() == 1


def test_removing_the_current_position_makes_the_newest_other_one_current(matrix, user):
    older = services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["junior"])
    services.position_set(
        user=user, role=matrix.roles["ds"], level=matrix.levels["middle"], make_current=False
    )
    services.position_remove(position=older)
    assert Position.objects.get(user=user).is_current


# --- Marks and notes --------------------------------------------------------------------------


def test_setting_a_mark_is_idempotent_and_keeps_the_text_as_assessed(matrix, user):
    exp = matrix.exp("python", "ds", "senior")
    for _ in range(2):
        services.assessment_set(user=user, expectation=exp, mark="meets")
    assessment = Assessment.objects.get(user=user)
    assert assessment.mark == "meets"
    assert assessment.assessed_description == "Writes tested, packaged Python."
    assert assessment.assessed_necessity == Necessity.REQUIRED


def test_a_note_is_markdown_sanitized_and_kept_when_only_the_mark_changes(matrix, user):
    exp = matrix.exp("python", "ds", "senior")
    note = (
        "**Shipped** [it](https://example.com) <script>alert(1)</script> [x](javascript:alert(1))"
    )
    services.assessment_set(user=user, expectation=exp, mark="learning", note=note)
    services.assessment_set(user=user, expectation=exp, mark="meets")
    assessment = Assessment.objects.get(user=user)
    assert assessment.note == note
    assert "<strong>Shipped</strong>" in assessment.note_html
    assert 'rel="nofollow ugc noopener"' in assessment.note_html
    assert "<script" not in assessment.note_html
    assert "javascript:" not in assessment.note_html


@pytest.mark.parametrize(
    ("mark", "note", "field"), [("great", None, "mark"), ("meets", "x" * 5001, "note")]
)
def test_a_bad_mark_or_a_too_long_note_is_refused_naming_the_field(matrix, user, mark, note, field):
    with pytest.raises(ValidationError) as error:
        services.assessment_set(
            user=user, expectation=matrix.exp("stats", "ds", "senior"), mark=mark, note=note
        )
    assert field in error.value.message_dict
    assert not Assessment.objects.exists()


def test_a_bulk_change_is_all_or_nothing(matrix, user):
    changes = [
        services.AssessmentChange(matrix.exp("stats", "ds", "senior"), "meets"),
        services.AssessmentChange(matrix.exp("sql", "ds", "senior"), "bogus"),
    ]
    with pytest.raises(ValidationError):
        services.assessments_bulk_set(user=user, changes=changes)
    assert not Assessment.objects.exists()


def test_deleting_the_account_deletes_all_personal_data(matrix, user):
    services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    services.assessment_set(
        user=user, expectation=matrix.exp("stats", "ds", "senior"), mark="meets", note="Private."
    )
    services.share_link_create(user=user, label="boss")
    user.delete()
    assert not Position.objects.exists()
    assert not Assessment.objects.exists()
    assert not ShareLink.objects.exists()


# --- Marks survive changes of the matrix ------------------------------------------------------


def change_description(exp: Expectation, text: str, necessity: str | None = None):
    """What an approved proposal does: edit the row, then record the skill's new revision."""
    exp.description = text
    if necessity:
        exp.necessity = necessity
    exp.save()
    assert skill_record_change(skill=exp.skill, summary="Approved change") is not None


def test_a_mark_survives_a_changed_expectation_and_is_flagged_with_the_diff(matrix, user, client):
    exp = matrix.exp("stats", "ds", "senior")
    services.assessment_set(user=user, expectation=exp, mark="meets", note="Ran 3 A/B tests.")
    change_description(
        exp, "Designs experiments with power analysis and sequential testing.", Necessity.OPTIONAL
    )

    overview = selectors.growth_overview(user=user)
    assert [a.pk for a in overview.flagged] == [Assessment.objects.get(user=user).pk]
    flag = overview.flagged[0].flag
    assert flag.words_after.endswith("<ins> and sequential testing</ins>.")
    assert flag.necessity_changed

    client.force_login(user)
    page = client.get("/me/").content.decode()
    assert "Expectation changed since you assessed it" in page
    assert "<ins> and sequential testing</ins>" in page
    assert "Ran 3 A/B tests." in page
    assert "Necessity: Required → Optional" in page

    # On the skill page the cell carries the flag; marking it again acknowledges the change.
    skill_page = client.get(f"/skills/{exp.skill.slug}/").content.decode()
    assert 'class="mark-changed"' in skill_page
    services.assessment_set(user=user, expectation=exp, mark="meets")
    assert selectors.growth_overview(user=user).flagged == []
    assert Assessment.objects.get(user=user).note == "Ran 3 A/B tests."


def test_a_mark_survives_the_removal_and_return_of_its_expectation(matrix, user, client):
    """A mark belongs to the cell (skill, role, level): it outlives its row, flagged as removed,
    and applies again when a later change brings the row back."""
    exp = matrix.exp("sql", "ds", "senior")
    services.assessment_set(user=user, expectation=exp, mark="learning")
    skill, role, level = exp.skill, exp.role, exp.level
    exp.delete()
    skill_record_change(skill=skill, summary="Removed")

    overview = selectors.growth_overview(user=user)
    assert overview.flagged[0].flag.removed
    client.force_login(user)
    assert "removed from the matrix" in client.get("/me/").content.decode()

    back = ExpectationFactory(
        skill=skill, role=role, level=level, description="Writes window functions."
    )
    skill_record_change(skill=skill, summary="Restored")
    assert selectors.growth_overview(user=user).flagged == []
    marks = selectors.user_marks(user=user)
    assert marks[(back.skill_id, back.role_id, back.level_id)].mark == "learning"


def test_the_assessment_page_shows_the_diff_and_saves_mark_and_note(matrix, user, client):
    exp = matrix.exp("python", "ds", "senior")
    services.assessment_set(user=user, expectation=exp, mark="learning")
    change_description(exp, "Writes tested, typed, packaged Python.")
    client.force_login(user)
    page = client.get(f"/me/expectations/{exp.pk}/").content.decode()
    assert "Writes tested<ins>, typed</ins>, packaged Python." in page

    response = client.post(
        f"/me/expectations/{exp.pk}/",
        {"mark": "meets", "note": "Maintains our *internal* package.", "next": "/roles/ds/"},
    )
    assert response.status_code == 302 and response["Location"] == "/roles/ds/"
    assessment = Assessment.objects.get(user=user)
    assert (assessment.mark, assessment.assessed_description) == (
        "meets",
        "Writes tested, typed, packaged Python.",
    )
    assert "<em>internal</em>" in assessment.note_html


def test_the_assessment_form_refuses_a_missing_mark(matrix, user, client):
    client.force_login(user)
    exp = matrix.exp("python", "ds", "senior")
    response = client.post(f"/me/expectations/{exp.pk}/", {"note": "x"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_unsafe_next_is_not_followed(matrix, user, client):
    client.force_login(user)
    exp = matrix.exp("python", "ds", "senior")
    response = client.post(
        f"/me/expectations/{exp.pk}/", {"mark": "meets", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/me/expectations/{exp.pk}/"
