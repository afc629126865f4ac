"""API tokens: made and revoked on a page (and through the API), then used as credentials."""

import pytest
from django.test import Client
from django.urls import reverse

from skillmatrix.api.models import ApiToken
from skillmatrix.api.services import MAX_TOKENS_PER_USER, api_token_create, api_token_digest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def test_token_page_needs_login(client):
    """An anonymous visitor is sent to log in, then back to the page."""
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/accounts/tokens/" in response["Location"]


def test_make_a_token_shows_the_key_once_and_stores_only_its_digest(client, member):
    """Making a token shows its key on that one answer; the database keeps only a digest."""
    client.force_login(member)
    response = client.post(PAGE, {"name": "CI export"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=member)
    key = response.context["new_key"]
    assert key.startswith("smx_") and len(key) >= 40
    page = response.content.decode()
    assert key in page and "CI export" in page
    assert "no-store" in response["Cache-Control"]
    assert token.digest == api_token_digest(key) and key not in token.digest
    assert not ApiToken.objects.filter(prefix=key).exists()
    again = client.get(PAGE).content.decode()
    assert key not in again and token.prefix in again


def test_make_a_token_needs_a_name(client, member):
    """A token without a name is refused with a form error."""
    client.force_login(member)
    response = client.post(PAGE, {"name": "  "})
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_user_holds_at_most_ten_tokens(client, member):
    """Past the limit, making another token is refused with a message."""
    for n in range(MAX_TOKENS_PER_USER):
        api_token_create(user=member, name=f"t{n}")
    client.force_login(member)
    response = client.post(PAGE, {"name": "one more"})
    assert response.status_code == 400
    assert "revoke one first" in response.content.decode()
    assert ApiToken.objects.filter(user=member).count() == MAX_TOKENS_PER_USER


def test_the_page_lists_only_ones_own_tokens(client, member):
    """Another user's tokens are not on one's page."""
    api_token_create(user=UserFactory(), name="Someone else's")
    api_token_create(user=member, name="Mine")
    client.force_login(member)
    page = client.get(PAGE).content.decode()
    assert "Mine" in page and "Someone else" not in page


def test_revoke_a_token(client, member, member_key, api):
    """A revoked token no longer authenticates."""
    token = ApiToken.objects.get(user=member)
    client.force_login(member)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {member_key}")
    assert api.get("/api/v1/tokens/").status_code == 401


def test_cannot_revoke_another_users_token(client, member):
    """Revoking someone else's token is a 404, and the token stays."""
    token, _key = api_token_create(user=UserFactory(), name="theirs")
    client.force_login(member)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_needs_post_and_csrf(member):
    """Revoking is a POST with the CSRF token; GET is refused and a forged POST too."""
    token, _key = api_token_create(user=member, name="mine")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_page_in_chinese(client, member):
    """The page speaks Simplified Chinese with ?lang=zh-hans."""
    client.force_login(member)
    page = client.get(PAGE, {"lang": "zh-hans"}).content.decode()
    assert "API 令牌" in page


# --- Using a token --------------------------------------------------------------------------


def test_token_authenticates_and_notes_its_use(api, member, member_key):
    """`Authorization: Token <key>` authenticates as the token's owner."""
    api.credentials(HTTP_AUTHORIZATION=f"Token {member_key}")
    response = api.get("/api/v1/tokens/")
    assert response.status_code == 200
    assert [t["name"] for t in response.json()] == ["tests"]
    assert ApiToken.objects.get(user=member).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Token smx_not-a-real-key",
        "Token",
        "Token a b",
        "Token " + "x" * 500,
        "Token nonsmx",
    ],
)
def test_bad_token_is_401(api, member, header, matrix):
    """A wrong, missing or malformed key is a 401, even on public endpoints."""
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get("/api/v1/levels/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_an_inactive_user_is_401(api, member, member_key):
    """A deactivated account's tokens stop working."""
    member.is_active = False
    member.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {member_key}")
    assert api.get("/api/v1/tokens/").status_code == 401


def test_tokens_api_make_list_revoke_with_session(member):
    """With a session (and its CSRF token) a member makes, lists and revokes tokens."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(PAGE)  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    made = client.post(
        "/api/v1/tokens/",
        {"name": "script"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert made.status_code == 201
    body = made.json()
    assert body["key"].startswith(body["prefix"])
    listed = client.get("/api/v1/tokens/").json()
    assert [t["name"] for t in listed] == ["script"] and "key" not in listed[0]
    gone = client.delete(f"/api/v1/tokens/{body['id']}/", HTTP_X_CSRFTOKEN=csrf)
    assert gone.status_code == 204
    assert not ApiToken.objects.exists()


def test_session_write_without_csrf_token_is_403(member):
    """A session's unsafe request without the X-CSRFToken header is refused (403)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/api/v1/tokens/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_token_requests_need_no_csrf(api, member, member_key):
    """A token request is not subject to CSRF (no cookie is involved)."""
    token = ApiToken.objects.get(user=member)
    api.credentials(HTTP_AUTHORIZATION=f"Token {member_key}")
    assert api.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204


def test_a_token_cannot_make_tokens(api, member, member_key):
    """Making tokens needs a session: a token cannot mint more of itself."""
    api.credentials(HTTP_AUTHORIZATION=f"Token {member_key}")
    response = api.post("/api/v1/tokens/", {"name": "more"}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=member).count() == 1


def test_another_users_token_is_404_through_the_api(api, member):
    """Through the API too, someone else's token does not exist for you."""
    token, _key = api_token_create(user=UserFactory(), name="theirs")
    api.force_authenticate(member)
    response = api.delete(f"/api/v1/tokens/{token.pk}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "pk"
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_api_token_name_is_required(api, member):
    """An empty name through the API is a 400 naming `name`."""
    api.force_authenticate(member)
    response = api.post("/api/v1/tokens/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"
