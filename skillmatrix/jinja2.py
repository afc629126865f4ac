"""The Jinja2 environment, for the page whose rendering time matters most: the skill page.

Every other page uses Django's template language. Jinja2 compiles a template to Python code,
which renders the skill page several times faster than Django's node-by-node rendering
(bench/run.py measures it; the closing note of issue #6 has the figures).

Translations come from the same catalogues as everywhere else. Templates mark text with
`{% translate "…" %}` (optionally `context "…"`), the syntax of Django's templates, and with
`_("…")` in expressions; Django's `makemessages` extracts both from any .html file, so
`python3 dev.py messages` needs nothing more. Texts with a plural form are chosen in Python.

Partials that the rest of the site renders with Django's template language (a comment list,
the assessment controls) are reused through `django_include`, not copied.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from jinja2 import Environment, nodes, pass_context
from jinja2.ext import Extension
from markupsafe import Markup

from skillmatrix import permissions

#: Translations already looked up, by language, context and text. Django's gettext walks a
#: chain of catalogues on every call; the skill page asks for some ninety texts.
_translated: dict[tuple[str | None, str | None, str], str] = {}


def translate(message: str, context: str | None = None) -> str:
    key = (translation.get_language(), context, message)
    try:
        return _translated[key]
    except KeyError:
        found = (
            translation.gettext(message)
            if context is None
            else translation.pgettext(context, message)
        )
        _translated[key] = found
        return found


class TranslateExtension(Extension):
    """`{% translate "text" %}` and `{% translate "text" context "context" %}`, as in Django."""

    tags = {"translate"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        message = parser.parse_expression()
        context = nodes.Const(None)
        if parser.stream.skip_if("name:context"):
            context = parser.parse_expression()
        call = self.call_method("_translate", [message, context], lineno=lineno)
        return nodes.Output([call], lineno=lineno)

    @staticmethod
    def _translate(message: str, context: str | None) -> str:
        return translate(message, context)


def django_include(template_name: str, context: dict) -> Markup:
    """Render a partial written in Django's template language, with exactly `context`."""
    return Markup(get_template(template_name, using="django").render(context))


def url(name: str, *args) -> str:
    """`reverse(name, args=args)`, remembered: a page asks for the same addresses each time."""
    return _reverse(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args)


@lru_cache(maxsize=4096)
def _reverse(script_prefix: str, urlconf: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args or None)


@lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """`static(path)`, remembered: the hashed names do not change while the server runs."""
    return static(path)


def local_date(value, arg=None) -> str:
    """Django's `date` filter as its templates apply it: in the current time zone."""
    return defaultfilters.date(timezone.template_localtime(value), arg)


def short_date(value) -> str:
    """`value|date("SHORT_DATE_FORMAT")`, formatted once per language and calendar day.

    The skill page dates every row; most rows of a skill share a few days.
    """
    if value is None:
        return ""
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    return _short_date(translation.get_language(), day)


@lru_cache(maxsize=4096)
def _short_date(language: str | None, day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


@receiver(setting_changed)
def _forget(setting, **kwargs):
    """Tests that change the address book, the translations, the formats or the static files'
    storage get fresh answers."""
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _reverse.cache_clear()
        _translated.clear()
    if setting in {"STATIC_URL", "STORAGES", "STATICFILES_STORAGE"}:
        static_url.cache_clear()
    if setting in {"LANGUAGE_CODE", "LOCALE_PATHS", "TIME_ZONE", *formats.FORMAT_SETTINGS}:
        _short_date.cache_clear()


# The apps' parts of the skill page. Their markup stays in the Django templates the other
# pages use; these functions give them the context their template tags would.


@pass_context
def assessment_controls(context, expectation, anchor=True) -> Markup:
    """A member's mark buttons for one expectation (growth's `{% assessment_controls %}`)."""
    from growth.templatetags.growth import assessment_controls as tag

    return django_include("growth/_mark_controls.html", tag(context, expectation, anchor=anchor))


@pass_context
def growth_marks_form(context) -> Markup:
    """The form the mark buttons submit (growth's `{% growth_marks_form %}`)."""
    from growth.templatetags.growth import growth_marks_form as tag

    return django_include("growth/_marks_form.html", tag(context))


@pass_context
def skill_community(context, skill) -> SimpleNamespace:
    """What the skill page's community section shows (proposals/_community_block.html)."""
    from proposals import selectors
    from proposals.forms import CommentForm

    request = context["request"]
    user = request.user
    found = selectors.skill_community(
        skill=skill, user=user, comments_page=request.GET.get("comments")
    )
    return SimpleNamespace(
        **vars(found),  # the counts, the page of comments, the open proposals
        can_watch=permissions.can_watch(user),
        can_suggest_edit=permissions.can_suggest_edit(user),
        form=CommentForm() if user.is_authenticated else None,  # visitors get a log-in link
    )


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n", TranslateExtension], **options)
    env.install_gettext_callables(translate, translation.ngettext, newstyle=False)
    env.globals.update(
        assessment_controls=assessment_controls,
        skill_community=skill_community,
        django_include=django_include,
        growth_marks_form=growth_marks_form,
        get_current_language=translation.get_language,
        static=static_url,
        url=url,
    )
    env.filters.update(date=local_date, short_date=short_date, urlencode=defaultfilters.urlencode)
    return env
