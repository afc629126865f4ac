from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "preferred_language", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "display_name": _("Shown instead of your username. Your email address is never shown."),
            "bio": _("A few words about you, shown on your public profile (plain text)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            ("", _("As the browser asks")),
            *self.fields["preferred_language"].choices[1:],
        ]
