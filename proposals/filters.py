import django_filters
from django.utils.translation import gettext_lazy as _

from skills.filters import SlugFilter
from skills.models import Skill

from .models import Proposal, ProposalStatus


class ProposalFilter(django_filters.FilterSet):
    """The filters of /proposals/ and /api/v1/proposals/: status, skill (slug), author
    (username). An unknown status or skill is an error; an unknown author matches nothing."""

    status = django_filters.ChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))
    skill = SlugFilter(queryset=Skill.objects.only("pk", "slug", "name"), label=_("Skill"))
    author = django_filters.CharFilter(
        field_name="author__username", label=_("Author"), max_length=150
    )

    class Meta:
        model = Proposal
        fields = ["status", "skill", "author"]
