from django import forms
from django.utils.translation import gettext_lazy as _

from .services import BODY_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, *italic*, `code`, [links](https://…), lists, quotes."),
    )
