from django import forms
from django.utils.translation import gettext_lazy as _

from skills.models import Necessity
from skills.services import DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH

from .models import RejectionReason
from .services import BODY_MAX_LENGTH, RATIONALE_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, *italic*, `code`, [links](https://…), lists, quotes."),
    )


class MatrixForm(forms.Form):
    """A skill's whole matrix as a form: every cell's necessity and text, a box to remove it,
    blank rows to add cells (for any role, also one new to the skill), the summary, and a
    rationale.

    `state` is the skill's state the author starts from (the snapshot of `base_version`); the
    change set is what the posted values change in it (`change_set`, after validation).
    `initial_state` pre-fills the fields when it differs from `state` (editing a proposal).
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rationale = forms.CharField(
        label=_("Why this change?"),
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Reviewers read this first: what is wrong or missing, and your sources."),
    )

    def __init__(
        self,
        data=None,
        *,
        state: dict,
        roles,
        levels,
        initial_state: dict | None = None,
        new_rows: list[dict] | None = None,
        extra: int = 3,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.state = state
        self.levels = list(levels)
        self.roles = list(roles)
        self.role_names = {role.slug: role.name for role in self.roles}
        self.level_names = {level.slug: level.name for level in self.levels}
        shown = initial_state or state
        shown_cells = {(r["role"], r["level"]): r for r in shown["expectations"]}
        self.fields["summary"].initial = shown.get("summary", "")
        necessity_choices = list(Necessity.choices)

        self.cells = []  # (index, row) of the state's cells, in matrix order
        for index, row in enumerate(state["expectations"]):
            key = (row["role"], row["level"])
            value = shown_cells.get(key)
            self.fields[f"c{index}-necessity"] = forms.ChoiceField(
                choices=necessity_choices,
                initial=(value or row)["necessity"],
                label=_("Necessity"),
            )
            self.fields[f"c{index}-description"] = forms.CharField(
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
                initial=(value or row)["description"],
                label=_("Description"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"c{index}-remove"] = forms.BooleanField(
                required=False, initial=value is None, label=_("Remove")
            )
            self.cells.append((index, row))

        role_choices = [("", "—")] + [(role.slug, role.name) for role in self.roles]
        level_choices = [("", "—")] + [(level.slug, level.name) for level in self.levels]
        new_rows = list(new_rows or [])
        self.new_count = len(new_rows) + extra
        for i in range(self.new_count):
            start = new_rows[i] if i < len(new_rows) else {}
            self.fields[f"n{i}-role"] = forms.ChoiceField(
                choices=role_choices, required=False, initial=start.get("role"), label=_("Role")
            )
            self.fields[f"n{i}-level"] = forms.ChoiceField(
                choices=level_choices, required=False, initial=start.get("level"), label=_("Level")
            )
            self.fields[f"n{i}-necessity"] = forms.ChoiceField(
                choices=necessity_choices,
                initial=start.get("necessity", Necessity.OPTIONAL),
                label=_("Necessity"),
            )
            self.fields[f"n{i}-description"] = forms.CharField(
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
                initial=start.get("description", ""),
                label=_("Description"),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    # --- For the template ---------------------------------------------------------------

    def cell_sections(self, *, focus: tuple[str, str] | None = None):
        """[(level name, [(role name, role slug, level slug, fields, is_focus)])], by level."""
        by_level = {}
        for index, row in self.cells:
            entry = (
                self.role_names.get(row["role"], row["role"]),
                row["role"],
                row["level"],
                {
                    "necessity": self[f"c{index}-necessity"],
                    "description": self[f"c{index}-description"],
                    "remove": self[f"c{index}-remove"],
                },
                focus == (row["role"], row["level"]),
            )
            by_level.setdefault(row["level"], []).append(entry)
        order = [level.slug for level in self.levels]
        return [
            (self.level_names.get(slug, slug), slug, by_level[slug])
            for slug in sorted(by_level, key=lambda s: order.index(s) if s in order else 10**6)
        ]

    def new_rows(self):
        return [
            {name: self[f"n{i}-{name}"] for name in ("role", "level", "necessity", "description")}
            for i in range(self.new_count)
        ]

    # --- Validation ---------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        changes, errors = [], []
        existing = {(r["role"], r["level"]) for r in self.state["expectations"]}
        for index, row in self.cells:
            key = (row["role"], row["level"])
            if data.get(f"c{index}-remove"):
                changes.append({"role": key[0], "level": key[1], "delete": True})
                continue
            necessity = data.get(f"c{index}-necessity")
            description = (data.get(f"c{index}-description") or "").strip()
            if not description:
                self.add_error(
                    f"c{index}-description",
                    _("Write the expectation, or tick “Remove” to delete the cell."),
                )
                continue
            if (necessity, description) != (row["necessity"], row["description"]):
                changes.append(
                    {
                        "role": key[0],
                        "level": key[1],
                        "necessity": necessity,
                        "description": description,
                    }
                )
        added = set()
        for i in range(self.new_count):
            role, level = data.get(f"n{i}-role"), data.get(f"n{i}-level")
            description = (data.get(f"n{i}-description") or "").strip()
            if not (role or level or description):
                continue
            if not role:
                self.add_error(f"n{i}-role", _("Choose a role."))
            if not level:
                self.add_error(f"n{i}-level", _("Choose a level."))
            if not description:
                self.add_error(f"n{i}-description", _("Write the expectation."))
            if not (role and level and description):
                continue
            if (role, level) in existing:
                self.add_error(
                    f"n{i}-role",
                    _("%(role)s · %(level)s is already in the matrix: change it above.")
                    % {"role": self.role_names[role], "level": self.level_names[level]},
                )
                continue
            if (role, level) in added:
                self.add_error(f"n{i}-role", _("This cell is added twice."))
                continue
            added.add((role, level))
            changes.append(
                {
                    "role": role,
                    "level": level,
                    "necessity": data.get(f"n{i}-necessity"),
                    "description": description,
                }
            )
        summary = (data.get("summary") or "").strip()
        summary = None if summary == (self.state.get("summary") or "") else summary
        if not errors and not self.errors and not changes and summary is None:
            raise forms.ValidationError(
                _("Change something first: a text, a necessity, a cell or the summary.")
            )
        self.change_set = (changes, summary)
        return data


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason…")), *RejectionReason.choices]
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=RATIONALE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for “Other reason”."),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == RejectionReason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", _("Explain the reason in a few words."))
        return data


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label=_("What should change?"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
