"""Who may call what: the permission table of the endpoints that exist, and the rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from skillmatrix.api import permissions as rules
from skillmatrix.api.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OWN_TOKEN, OTHERS_TOKEN = "own-token", "others-token"

# (method, address, body) → expected status for anonymous, member, staff.
TABLE = [
    ("get", "/api/v1/domains/", None, 200, 200, 200),
    ("get", "/api/v1/groups/", None, 200, 200, 200),
    ("get", "/api/v1/levels/", None, 200, 200, 200),
    ("get", "/api/v1/skills/", None, 200, 200, 200),
    ("get", "/api/v1/skills/s-skill-000/", None, 200, 200, 200),
    ("get", "/api/v1/skills/s-skill-000/revisions/", None, 200, 200, 200),
    ("get", "/api/v1/skills/s-skill-000/revisions/1/", None, 200, 200, 200),
    ("get", "/api/v1/roles/", None, 200, 200, 200),
    ("get", "/api/v1/roles/s-role-0/", None, 200, 200, 200),
    ("get", "/api/v1/expectations/", None, 200, 200, 200),
    ("get", "/api/schema/", None, 200, 200, 200),
    ("get", "/api/docs/", None, 200, 200, 200),
    # the matrix is read-only through the API: writes are 405 for everyone
    ("post", "/api/v1/skills/", {}, 405, 405, 405),
    ("put", "/api/v1/skills/s-skill-000/", {}, 405, 405, 405),
    ("patch", "/api/v1/roles/s-role-0/", {}, 405, 405, 405),
    ("delete", "/api/v1/skills/s-skill-000/", None, 405, 405, 405),
    ("post", "/api/v1/expectations/", {}, 405, 405, 405),
    # tokens: each member their own; anonymous callers must authenticate
    ("get", "/api/v1/tokens/", None, 401, 200, 200),
    ("post", "/api/v1/tokens/", {"name": "x"}, 401, 201, 201),
    ("delete", f"/api/v1/tokens/{OWN_TOKEN}/", None, 401, 204, 204),
    ("delete", f"/api/v1/tokens/{OTHERS_TOKEN}/", None, 401, 404, 404),
]


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
@pytest.mark.parametrize(("method", "url", "body", "anonymous", "member", "staff"), TABLE)
def test_permission_table(matrix, who, method, url, body, anonymous, member, staff):
    """Each endpoint answers each kind of caller with the status in the table."""
    expected = {"anonymous": anonymous, "member": member, "staff": staff}[who]
    client = APIClient()
    caller = None
    if who != "anonymous":
        caller = UserFactory(username=who, is_staff=who == "staff")
        client.force_authenticate(caller)
    own, _key = api_token_create(user=caller or UserFactory(), name="own")
    others, _key = api_token_create(user=UserFactory(), name="others")
    url = url.replace(OWN_TOKEN, str(own.pk)).replace(OTHERS_TOKEN, str(others.pk))
    call = getattr(client, method)
    response = call(url, body, format="json") if body is not None else call(url)
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(
    ("rule", "anonymous", "inactive", "member", "staff"),
    [
        (rules.anyone, True, True, True, True),
        (rules.is_member, False, False, True, True),
        (rules.is_staff, False, False, False, True),
        (rules.is_owner, False, False, True, True),
    ],
)
def test_rules_table(db, rule, anonymous, inactive, member, staff):
    """The generic rules, for each kind of user (without an object)."""
    users = {
        "anonymous": AnonymousUser(),
        "inactive": UserFactory(is_active=False),
        "member": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    expected = {"anonymous": anonymous, "inactive": inactive, "member": member, "staff": staff}
    assert {name: rule(user) for name, user in users.items()} == expected


def test_is_owner_with_an_object(db):
    """`is_owner` holds for the object's own user (or author) alone."""
    owner, other = UserFactory(), UserFactory()
    token, _key = api_token_create(user=owner, name="t")
    assert rules.is_owner(owner, token)
    assert not rules.is_owner(other, token)
    assert not rules.is_owner(AnonymousUser(), token)


def test_a_missing_rule_refuses():
    """An action no rule covers is refused: forgetting a rule closes the endpoint."""
    permission = rules.allow(list=rules.anyone)
    assert permission.lookup(action="list", method="GET") is rules.anyone
    assert permission.lookup(action="create", method="POST") is None
    assert rules.allow(read=rules.anyone).lookup(action=None, method="HEAD") is rules.anyone
    assert rules.allow(write=rules.is_member).lookup(action="approve", method="POST") is (
        rules.is_member
    )
