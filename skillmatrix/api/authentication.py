"""Who is calling: `Authorization: Token <key>`, or the browser session.

The session is DRF's own `SessionAuthentication` (settings), which enforces CSRF: unsafe
requests need the `X-CSRFToken` header. Token requests need none.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .selectors import api_token_for_key
from .services import api_token_touch


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token smx_…` with a key made on the page /accounts/tokens/.

    Listed first, so that a request lacking credentials gets 401 with
    `WWW-Authenticate: Token` rather than 403.
    """

    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Token <key>”, with one key.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = api_token_for_key(key=key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
