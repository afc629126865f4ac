from django import forms
from django.utils.translation import gettext_lazy as _

from skills.models import Expectation, Level, Role

from .models import Mark
from .services import NOTE_MAX_LENGTH


class PositionForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.only("name", "slug"), to_field_name="slug"
    )
    level = forms.ModelChoiceField(
        label=_("Level"), queryset=Level.objects.all(), to_field_name="slug"
    )
    make_current = forms.BooleanField(
        label=_("This is my current position"), required=False, initial=True
    )


class AssessmentForm(forms.Form):
    mark = forms.ChoiceField(label=_("Your mark"), choices=Mark.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Evidence note (private)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Markdown: **bold**, *italic*, [links](https://…), lists. Only you (and whoever "
            "holds a share link you made) can read it."
        ),
    )


class QuickMarkForm(forms.Form):
    """One click on a matrix page: `set` is `<expectation id>:<mark>`."""

    set = forms.CharField(max_length=40)

    def clean_set(self):
        value = self.cleaned_data["set"]
        pk, sep, mark = value.partition(":")
        if not sep or not pk.isdigit() or mark not in Mark.values:
            raise forms.ValidationError(_("Choose a mark for an expectation."))
        expectation = Expectation.objects.filter(pk=int(pk)).first()
        if expectation is None:
            raise forms.ValidationError(_("This expectation no longer exists."))
        return expectation, mark


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Who is it for?"),
        required=False,
        max_length=100,
        help_text=_("For example “my manager”. Only you see this label."),
    )
