from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

from .tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth, the SkillMatrix way: own-host redirects, mail after commit, language on login."""

    def is_safe_url(self, url):
        """A `next=` target must be on the host the request came to (allauth would also accept
        any host in ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS)."""
        request = context.request
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    def send_mail(self, template_prefix, email, context):
        """Render now (in the request's language), send once the transaction has committed."""
        request = globals()["context"].request
        site = get_current_site(request)
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": site, **context},
        )
        fields = {"subject": message.subject, "body": message.body, "to": list(message.to)}
        transaction.on_commit(lambda: send_email.enqueue(**fields))

    def post_login(self, request, user, **kwargs):
        """Switch to the user's preferred language, if they chose one."""
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "preferred_language", "")
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite="Lax",
            )
        return response
