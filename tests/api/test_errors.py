"""Every API error is one JSON shape naming the offending field; bad input is never a 500."""

import json

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from skillmatrix.api.exceptions import Conflict

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= {"status", "code", "detail", "errors"}
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/skills/", {"role": "no-such-role"}, "role"),
        ("/api/v1/skills/", {"domain": "nope"}, "domain"),
        ("/api/v1/skills/", {"group": "Not a slug!"}, "group"),
        ("/api/v1/skills/", {"search": "x" * 201}, "search"),
        ("/api/v1/groups/", {"domain": "nope"}, "domain"),
        ("/api/v1/expectations/", {"necessity": "maybe"}, "necessity"),
        ("/api/v1/expectations/", {"level": "guru"}, "level"),
        ("/api/v1/expectations/", {"skill": "nope"}, "skill"),
        ("/api/v1/expectations/", {"role": "nope"}, "role"),
        ("/api/v1/skills/", {"page": "abc"}, "page"),
        ("/api/v1/skills/", {"page": "0"}, "page"),
        ("/api/v1/skills/", {"page": "-1"}, "page"),
        ("/api/v1/skills/", {"page": "1.5"}, "page"),
        ("/api/v1/skills/", {"page": "9" * 5000}, "page"),
        ("/api/v1/levels/", {"page_size": "0"}, "page_size"),
        ("/api/v1/levels/", {"page_size": "201"}, "page_size"),
        ("/api/v1/levels/", {"page_size": "ten"}, "page_size"),
    ],
)
def test_bad_query_parameter_is_400_naming_it(api, matrix, url, params, field):
    """An unknown filter value or a malformed page is a 400 whose error names the parameter."""
    body = error(api.get(url, params), 400)
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"].startswith(f"{field}: ")
    assert body["code"] == "invalid"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/skills/", {"search": "a\x00b"}),
        ("/api/v1/skills/", {"role": "\x00"}),
        ("/api/v1/expectations/", {"necessity": "required\x00"}),
        ("/api/v1/skills/", {"page": "1\x00"}),
    ],
)
def test_nul_byte_in_a_parameter_is_400(api, matrix, url, params):
    """A NUL byte in a query parameter is refused with a 400 naming it (never a 500)."""
    body = error(api.get(url, params), 400)
    assert body["errors"][0]["field"] == next(iter(params))


def test_page_past_the_end_is_404_naming_page(api, matrix):
    """A page number past the last page is a 404 naming `page`."""
    body = error(api.get("/api/v1/skills/", {"page": 99}), 404)
    assert body["errors"] == [
        {"field": "page", "code": "not_found", "message": "There is no such page."}
    ]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/skills/nope/", "slug"),
        ("/api/v1/roles/nope/", "slug"),
        ("/api/v1/skills/nope/revisions/", "slug"),
        ("/api/v1/skills/nope/revisions/1/", "slug"),
        ("/api/v1/skills/s-skill-000/revisions/99/", "version"),
        ("/api/v1/expectations/999999/", "pk"),
    ],
)
def test_unknown_object_is_404_naming_the_path_parameter(api, matrix, url, field):
    """An unknown slug, version or id is a 404 naming that path parameter."""
    body = error(api.get(url), 404)
    assert body["code"] == "not_found"
    assert [e["field"] for e in body["errors"]] == [field]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/expectations/abc/",
        "/api/v1/expectations/-1/",
        "/api/v1/expectations/99999999999999999999999/",
        "/api/v1/skills/s-skill-000/revisions/x/",
        "/api/v1/skills/s-skill-000/revisions/9999999999999/",
        "/api/v1/skills/%00/",
        "/api/v1/skills/a%00b/revisions/",
        "/api/v1/no-such-thing/",
        "/api/v2/skills/",
        "/api/",
    ],
)
def test_malformed_id_or_unknown_address_is_a_json_404(api, matrix, url):
    """A malformed id or an address no endpoint answers is a JSON 404, never HTML or 500."""
    body = error(api.get(url), 404)
    assert body["code"] == "not_found"


def test_missing_trailing_slash_is_404_with_a_hint(api, matrix):
    """Without its trailing slash, an endpoint's address answers 404 saying which one is meant."""
    body = error(api.get("/api/v1/levels"), 404)
    assert "/api/v1/levels/" in body["detail"]


def test_unsupported_method_is_405(api, matrix, member):
    """A method the endpoint does not offer is a 405 with `Allow`, for anyone."""
    body = error(api.delete("/api/v1/skills/s-skill-000/"), 405)
    assert body["code"] == "method_not_allowed"
    api.force_authenticate(member)
    response = api.post("/api/v1/levels/", {}, format="json")
    error(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_unauthenticated_is_401_with_www_authenticate(api):
    """A member-only endpoint asked anonymously answers 401 with `WWW-Authenticate: Token`."""
    response = api.get("/api/v1/tokens/")
    body = error(response, 401)
    assert body["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_malformed_json_body_is_400(api, member):
    """A request body that is not JSON is a 400 in the same shape."""
    api.force_authenticate(member)
    response = api.post("/api/v1/tokens/", "{not json", content_type="application/json")
    body = error(response, 400)
    assert body["code"] == "parse_error"


def test_messages_follow_the_language(api, matrix):
    """Error messages come in the language asked for (`?lang=`)."""
    body = error(api.get("/api/v1/skills/", {"role": "nope", "lang": "zh-hans"}), 400)
    assert body["errors"][0]["field"] == "role"
    assert "选择" in body["errors"][0]["message"]  # Django's own zh-hans catalogue


# --- The handler itself, for what services raise --------------------------------------------


class Raising(APIView):
    permission_classes = []
    exc = None

    def get(self, request):
        raise self.exc


def call(exc):
    view = Raising.as_view(exc=exc)
    response = view(APIRequestFactory().get("/api/v1/anything/"))
    response.render()
    response.json = lambda: json.loads(response.content)
    return response


def test_django_validation_error_from_a_service_is_400_naming_fields():
    """A service's ValidationError with a field becomes a 400 naming that field."""
    response = call(DjangoValidationError({"base_version": "The skill changed since."}))
    body = error(response, 400)
    assert body["errors"] == [
        {"field": "base_version", "code": "invalid", "message": "The skill changed since."}
    ]


def test_django_validation_error_without_field_is_400_with_null_field():
    """A service's ValidationError without field becomes a 400 whose error has field null."""
    body = error(call(DjangoValidationError("Nothing to change.", code="empty")), 400)
    assert body["errors"] == [{"field": None, "code": "empty", "message": "Nothing to change."}]


def test_nested_errors_are_named_by_dotted_path():
    """Errors inside lists of objects are named by their path, e.g. `changes.1.role`."""
    from rest_framework.exceptions import ValidationError

    body = error(call(ValidationError({"changes": [{}, {"role": ["Unknown role."]}]})), 400)
    assert body["errors"] == [
        {"field": "changes.1.role", "code": "invalid", "message": "Unknown role."}
    ]
    assert body["detail"] == "changes.1.role: Unknown role."


def test_django_permission_denied_from_a_service_is_403():
    """A service's PermissionDenied becomes a 403 in the same shape."""
    body = error(call(DjangoPermissionDenied("Nobody decides their own proposal.")), 403)
    assert body["detail"] == "Nobody decides their own proposal."
    assert body["code"] == "permission_denied"


def test_conflict_is_409_with_both_sides():
    """A Conflict is a 409 carrying both sides of it."""
    exc = Conflict("The row changed meanwhile.", conflict={"yours": "a", "theirs": "b"})
    body = error(call(exc), 409)
    assert body["code"] == "conflict"
    assert body["conflict"] == {"yours": "a", "theirs": "b"}
