"""Privacy: who sees a member's marks and notes, as a table of viewers × pages.

Viewers: the owner, another member, a reviewer, staff (a superuser), an anonymous visitor, and
anyone holding the owner's share link — until it is revoked. Nobody but the owner and the link's
holders ever sees the owner's marks or notes: not in the pages, the exports, or the admin.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from growth import services
from growth.models import Assessment, Position, ShareLink
from skillmatrix import permissions

pytestmark = pytest.mark.django_db

SECRET = "SECRET-EVIDENCE-42"
VIEWERS = ["owner", "member", "reviewer", "staff", "anonymous"]


@pytest.fixture
def owned(matrix, people):
    owner = people["owner"]
    services.position_set(user=owner, role=matrix.roles["ds"], level=matrix.levels["middle"])
    exp = matrix.exp("python", "llm", "senior")
    assessment = services.assessment_set(user=owner, expectation=exp, mark="meets", note=SECRET)
    link = services.share_link_create(user=owner, label="my manager")
    return {"exp": exp, "assessment": assessment, "link": link}


def login(client, people, viewer):
    if viewer != "anonymous":
        client.force_login(people[viewer])


GAP = "from=ds:middle&to=llm:senior"


def own_pages(owned):
    """The pages at fixed addresses: each viewer sees their own growth there, never another's."""
    return [
        "/me/",
        f"/me/gap/?{GAP}",
        f"/me/gap/export.json?{GAP}",
        f"/me/gap/export.md?{GAP}",
        f"/me/expectations/{owned['exp'].pk}/",
    ]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_owner_sees_their_marks_and_notes_on_the_me_pages(client, people, owned, viewer):
    login(client, people, viewer)
    for url in own_pages(owned):
        response = client.get(url)
        body = response.content.decode()
        if viewer == "owner":
            assert response.status_code == 200, url
            assert SECRET in body, url
        else:
            assert response.status_code in (200, 302), url  # 302: /me/ asks visitors to log in
            assert SECRET not in body, url
            assert "my manager" not in body, url


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_share_link_shows_the_owners_growth_to_anyone_who_holds_it(client, people, owned, viewer):
    login(client, people, viewer)
    token = owned["link"].token
    for url in [
        f"/share/{token}/",
        f"/share/{token}/gap/?{GAP}",
        f"/share/{token}/gap/export.md?{GAP}",
        f"/share/{token}/gap/export.json?{GAP}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET in response.content.decode(), url
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = client.get(f"/share/{token}/").content.decode()
    assert "Growth of Olga Owner" in page
    assert "Revoke" not in page and "mark-controls" not in page  # read-only
    assert "my manager" not in page  # the label is the owner's own


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_revoked_or_unknown_share_link_opens_nothing(client, people, owned, viewer):
    services.share_link_revoke(link=owned["link"])
    login(client, people, viewer)
    for token in [owned["link"].token, "not-a-token"]:
        for url in [
            f"/share/{token}/",
            f"/share/{token}/gap/?{GAP}",
            f"/share/{token}/gap/export.pdf?{GAP}",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert SECRET not in response.content.decode()


def test_the_owner_creates_and_revokes_share_links(client, people, owned):
    client.force_login(people["owner"])
    response = client.post("/me/share/", {"label": "mentor"})
    link = ShareLink.objects.get(label="mentor")
    assert response["Location"] == f"/me/#share-{link.pk}"
    assert len(link.token) >= 40
    page = client.get("/me/").content.decode()
    assert f"http://testserver/share/{link.token}/" in page
    assert client.get(f"/share/{link.token}/").status_code == 200
    client.post(f"/me/share/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(f"/share/{link.token}/").status_code == 404
    assert f"/share/{link.token}/" not in client.get("/me/").content.decode()


def test_a_deactivated_owners_link_opens_nothing(client, people, owned):
    people["owner"].is_active = False
    people["owner"].save()
    assert client.get(f"/share/{owned['link'].token}/").status_code == 404


@pytest.mark.parametrize("viewer", ["member", "reviewer", "staff"])
def test_nobody_else_changes_the_owners_rows(client, people, owned, viewer):
    """Another user's row is a 404: it does not even say it exists."""
    login(client, people, viewer)
    position = Position.objects.get(user=people["owner"])
    for url in [
        f"/me/share/{owned['link'].pk}/revoke/",
        f"/me/assessments/{owned['assessment'].pk}/delete/",
        f"/me/positions/{position.pk}/current/",
        f"/me/positions/{position.pk}/remove/",
    ]:
        assert client.post(url).status_code == 404, url
    owned["link"].refresh_from_db()
    assert owned["link"].revoked_at is None
    assert Assessment.objects.filter(pk=owned["assessment"].pk).exists()
    assert Position.objects.filter(pk=position.pk).exists()


def test_the_admin_shows_no_marks_or_notes(client, people, owned):
    """Staff pages: the growth models are not in the admin, and the user page shows none."""
    client.force_login(people["staff"])
    assert client.get("/admin/growth/assessment/").status_code == 404
    assert client.get("/admin/growth/sharelink/").status_code == 404
    admin_index = client.get("/admin/").content.decode()
    assert "growth" not in admin_index.lower()
    user_page = client.get(f"/admin/accounts/user/{people['owner'].pk}/change/")
    assert user_page.status_code == 200
    assert SECRET not in user_page.content.decode()


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_rules(people, owned, viewer):
    """The permission functions as a table: only the owner views and manages their growth."""
    user = AnonymousUser() if viewer == "anonymous" else people[viewer]
    assert permissions.can_manage_share_link(user, owned["link"]) == (viewer == "owner")
    assert permissions.can_assess(user) == (viewer != "anonymous")
    assert permissions.can_follow_share_link(owned["link"])
    services.share_link_revoke(link=owned["link"])
    assert not permissions.can_follow_share_link(owned["link"])
