"""Atom feeds of applied changes: the whole matrix, and one skill."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import Revision, Skill

FEED_LENGTH = 50


class ChangesFeed(Feed):
    """The newest applied changes across the matrix, one entry per revision."""

    feed_type = Atom1Feed

    def title(self):
        return _("SkillMatrix: applied changes")

    def subtitle(self):
        return _("Every change applied to the skill matrix, newest first.")

    def link(self):
        return reverse("skills:catalogue")

    def revisions(self):
        return Revision.objects.select_related("skill", "author").defer(
            "snapshot", "skill__search_document"
        )

    def items(self):
        return self.revisions().order_by("-created_at", "-pk")[:FEED_LENGTH]

    def item_title(self, item):
        return _("%(skill)s, version %(version)s") % {
            "skill": item.skill.name,
            "version": item.version,
        }

    def item_description(self, item):
        # Atom's summary is HTML: escape everything that comes from people.
        return format_html("<p>{}</p>", item.summary or _("No summary."))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"skillmatrix:revision:{item.skill_id}:{item.version}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at

    def item_author_name(self, item):
        # The public name only: a person's email address is never published.
        return str(item.author) if item.author else None


class SkillChangesFeed(ChangesFeed):
    """One skill's applied changes, newest first."""

    def get_object(self, request, slug):
        skill = (
            Skill.objects.select_related("group")
            .defer("search_document", "search_vector")
            .filter(slug=slug)
        )
        skill = skill.first()
        if skill is None:
            raise Http404(_("No skill is called “%(slug)s”.") % {"slug": slug})
        return skill

    def title(self, skill):
        return _("SkillMatrix: changes to %(skill)s") % {"skill": skill.name}

    def subtitle(self, skill):
        return _("Every change applied to this skill, newest first.")

    def link(self, skill):
        return reverse("skills:history", kwargs={"slug": skill.slug})

    def items(self, skill):
        revisions = self.revisions().filter(skill=skill).order_by("-version")[:FEED_LENGTH]
        for revision in revisions:
            revision.skill = skill
        return revisions
