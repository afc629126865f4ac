def notifications(request):
    """The header's unread count: one cheap query for a logged-in user, none for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": user.notifications.unread().count()}
