"""The proposals' and comments' endpoints, mounted under /api/v1/ by skillmatrix/api/urls.py."""

from rest_framework.routers import SimpleRouter

from skills.api.views import SLUG_PATTERN

from . import views

router = SimpleRouter()
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register(
    rf"proposals/(?P<id>{views.ID_PATTERN})/comments",
    views.ProposalCommentViewSet,
    basename="proposal-comment",
)
router.register(
    rf"skills/(?P<slug>{SLUG_PATTERN})/comments",
    views.SkillCommentViewSet,
    basename="skill-comment",
)
router.register("comments", views.CommentViewSet, basename="comment")

urlpatterns = router.urls
