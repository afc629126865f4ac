from skillmatrix import permissions

from .selectors import review_queue_count


def review_queue(request):
    """The header's count of proposals to review: for reviewers only (None hides the link)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not permissions.can_review(user):
        return {"review_queue_count": None}
    return {"review_queue_count": review_queue_count()}
