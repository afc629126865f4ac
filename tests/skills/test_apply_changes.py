"""skills.services.skill_apply_changes and skill_revert: the only way a change set reaches the
matrix. One transaction each; a stale base is merged when the touched cells did not change,
refused with both sides otherwise; every success is exactly one revision."""

import pytest
from django.core.exceptions import ValidationError

from skills.cache import matrix_generation
from skills.models import Expectation, Revision
from skills.services import (
    ChangeConflict,
    changes_normalize,
    skill_apply_changes,
    skill_revert,
    skill_snapshot,
)
from tests.factories import UserFactory
from tests.proposals.conftest import build_matrix, cell, delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def matrix(levels):
    return build_matrix(levels)


@pytest.fixture
def people(db):
    return UserFactory(username="author"), UserFactory(username="approver")


def apply(skill, changes, base_version=None, summary=None, people=(None, None)):
    return skill_apply_changes(
        skill=skill,
        changes=changes,
        summary_text=summary,
        base_version=skill.version if base_version is None else base_version,
        author=people[0],
        approver=people[1],
        message="Test change",
    )


def cells_of(skill):
    return {(r["role"], r["level"]): r for r in skill_snapshot(skill=skill)["expectations"]}


def test_a_change_set_applies_and_writes_one_revision(matrix, people):
    """Changing, adding and removing cells and the summary: version 2, one revision holding
    the new state, credited to its author and approver."""
    generation = matrix_generation()
    revision = apply(
        matrix,
        [
            cell("llm-engineer", "senior", "required", "Serves LLMs with continuous batching."),
            cell("llm-engineer", "lead", "required", "Designs the serving platform."),
            delete("data-scientist", "junior"),
        ],
        summary="Ship models safely.",
        people=people,
    )
    matrix.refresh_from_db()
    assert matrix.version == 2 and revision.version == 2
    assert Revision.objects.filter(skill=matrix).count() == 2
    assert (revision.author, revision.approver) == people
    assert revision.summary == "Test change"
    assert revision.snapshot == skill_snapshot(skill=matrix)
    cells = cells_of(matrix)
    assert cells[("llm-engineer", "senior")]["necessity"] == "required"
    assert ("llm-engineer", "lead") in cells
    assert ("data-scientist", "junior") not in cells
    assert matrix.summary == "Ship models safely."
    assert "continuous batching" in matrix.search_document
    assert matrix_generation() != generation, "cached pages are invalidated"


def test_a_stale_base_is_merged_when_the_touched_cells_did_not_change(matrix, people):
    """Version 2 changed another cell; a change set made on version 1 still applies, on top."""
    apply(matrix, [cell("data-scientist", "junior", "optional", "Edited meanwhile.")])
    matrix.refresh_from_db()
    revision = apply(
        matrix, [cell("llm-engineer", "senior", "required", "Merged.")], base_version=1
    )
    matrix.refresh_from_db()
    assert revision.version == matrix.version == 3
    cells = cells_of(matrix)
    assert cells[("data-scientist", "junior")]["description"] == "Edited meanwhile."
    assert cells[("llm-engineer", "senior")]["description"] == "Merged."


@pytest.mark.parametrize(
    "meanwhile, proposed",
    [
        (cell("llm-engineer", "senior", "optional", "Changed meanwhile."),
         cell("llm-engineer", "senior", "required", "Mine.")),
        (delete("llm-engineer", "senior"), cell("llm-engineer", "senior", "required", "Mine.")),
        (cell("llm-engineer", "lead", "optional", "Added meanwhile."),
         cell("llm-engineer", "lead", "required", "Also added.")),
        (cell("llm-engineer", "senior", "required", "Changed meanwhile."),
         delete("llm-engineer", "senior")),
    ],
    ids=["changed-changed", "removed-changed", "added-added", "changed-removed"],
)  # fmt: skip
def test_a_stale_base_is_refused_with_both_sides_when_a_touched_cell_changed(
    matrix, meanwhile, proposed
):
    """The conflict carries the cell as it was, as it is now and as proposed; nothing is
    written: no revision, no version, the matrix as it was."""
    apply(matrix, [meanwhile])
    matrix.refresh_from_db()
    before = skill_snapshot(skill=matrix)
    with pytest.raises(ChangeConflict) as caught:
        apply(matrix, [proposed], base_version=1)
    conflict = caught.value
    assert (conflict.base_version, conflict.current_version) == (1, 2)
    [side] = conflict.cells
    assert (side["role"], side["level"]) == (proposed["role"], proposed["level"])
    assert side["base"] != side["current"]
    assert side["proposed"] == (None if proposed.get("delete") else proposed)
    matrix.refresh_from_db()
    assert matrix.version == 2
    assert Revision.objects.filter(skill=matrix).count() == 2
    assert skill_snapshot(skill=matrix) == before


def test_a_summary_changed_meanwhile_is_a_conflict(matrix):
    """The summary is a field like a cell: changed since the base, it refuses the change."""
    apply(matrix, [], summary="Edited meanwhile.")
    matrix.refresh_from_db()
    with pytest.raises(ChangeConflict) as caught:
        apply(matrix, [], summary="Mine.", base_version=1)
    assert caught.value.summary == {
        "base": "Ship models.",
        "current": "Edited meanwhile.",
        "proposed": "Mine.",
    }


def test_a_change_set_that_changes_nothing_is_refused(matrix):
    """Setting cells to what they are writes nothing."""
    with pytest.raises(ValidationError):
        apply(
            matrix, [cell("data-scientist", "junior", "optional", "Knows what a model server is.")]
        )
    matrix.refresh_from_db()
    assert matrix.version == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ([cell("nobody", "junior")], "changes"),
        ([cell("llm-engineer", "galactic")], "changes"),
        ([cell("llm-engineer", "junior", "mandatory")], "changes"),
        ([cell("llm-engineer", "junior", "optional", "   ")], "changes"),
        ([cell("llm-engineer", "junior"), cell("llm-engineer", "junior")], "changes"),
        ([delete("llm-engineer", "junior")], "changes"),
        (["not a cell"], "changes"),
        ("not a list", "changes"),
    ],
    ids=["role", "level", "necessity", "empty", "twice", "remove-missing", "item", "list"],
)
def test_malformed_change_sets_are_refused_naming_the_field(matrix, changes, field):
    """Bad input is a ValidationError on "changes", never a database error; nothing written."""
    with pytest.raises(ValidationError) as caught:
        apply(matrix, changes)
    assert field in caught.value.message_dict
    assert Expectation.objects.filter(skill=matrix).count() == 3


def test_an_unknown_base_version_is_refused(matrix):
    with pytest.raises(ValidationError) as caught:
        apply(matrix, [cell("llm-engineer", "junior")], base_version=7)
    assert "base_version" in caught.value.message_dict


def test_normalize_drops_cells_that_change_nothing(matrix):
    """Only real changes are kept, in matrix order (level rank, then role)."""
    state = skill_snapshot(skill=matrix)
    changes, summary = changes_normalize(
        snapshot=state,
        changes=[
            cell("llm-engineer", "senior", "required", "New."),
            cell("data-scientist", "junior", "optional", "Knows what a model server is."),
            cell("data-scientist", "middle", "required", "Deploys."),
        ],
        summary="Ship models.",
    )
    assert [(c["role"], c["level"]) for c in changes] == [
        ("data-scientist", "middle"),
        ("llm-engineer", "senior"),
    ]
    assert summary is None


def test_revert_restores_an_earlier_state_as_a_new_revision(matrix, people):
    """Reverting to version 1 after two changes: version 4, equal to version 1's state."""
    apply(matrix, [cell("llm-engineer", "lead", "required", "Added.")], summary="Changed.")
    matrix.refresh_from_db()
    apply(matrix, [delete("data-scientist", "junior")])
    matrix.refresh_from_db()
    version_one = Revision.objects.get(skill=matrix, version=1).snapshot
    revision = skill_revert(skill=matrix, to_version=1, by=people[1])
    matrix.refresh_from_db()
    assert revision.version == matrix.version == 4
    assert revision.snapshot["expectations"] == version_one["expectations"]
    assert matrix.summary == "Ship models."
    assert revision.author == revision.approver == people[1]
    assert "1" in revision.summary


def test_revert_to_the_current_state_or_an_unknown_version_is_refused(matrix, people):
    with pytest.raises(ValidationError):
        skill_revert(skill=matrix, to_version=1, by=people[1])
    with pytest.raises(ValidationError):
        skill_revert(skill=matrix, to_version=9, by=people[1])
    matrix.refresh_from_db()
    assert matrix.version == 1
