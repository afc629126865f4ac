"""The matrix's read endpoints: what each answers, filtered, paginated and ordered."""

import pytest

from skills.models import Expectation, Skill
from skills.services import skill_record_change
from tests.factories import ExpectationFactory, SkillFactory

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_domains_list_counts_groups_and_skills(api, matrix):
    """Domains come with how many groups and skills they hold."""
    (domain,) = results(api.get("/api/v1/domains/"))
    assert domain == {
        "slug": "s-domain",
        "name": "Data",
        "description": "",
        "position": 0,
        "group_count": 1,
        "skill_count": 3,
    }


def test_groups_filter_by_domain(api, matrix):
    """`?domain=` keeps the groups of that domain only."""
    other = SkillFactory(slug="lonely").group
    everything = results(api.get("/api/v1/groups/"))
    assert [g["slug"] for g in everything] == ["s-group", other.slug]  # "Data" < "Domain …"
    found = results(api.get("/api/v1/groups/", {"domain": other.domain.slug}))
    assert [g["slug"] for g in found] == [other.slug]
    assert found[0]["skill_count"] == 1


def test_levels_come_in_rank_order(api, levels):
    """Levels are listed by rank, Junior first."""
    found = results(api.get("/api/v1/levels/"))
    assert [(lvl["slug"], lvl["rank"]) for lvl in found] == [
        ("junior", 1),
        ("middle", 2),
        ("senior", 3),
        ("lead", 4),
        ("principal", 5),
    ]


def test_skills_list_is_paginated_with_counts_and_links(api, matrix):
    """A skills page has count/next/previous/results; each skill has slugs, counts, links."""
    response = api.get("/api/v1/skills/", {"page_size": 2})
    body = response.json()
    assert body["count"] == 3
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/skills/?page=2&page_size=2"
    first = body["results"][0]
    assert first["slug"] == "s-skill-000"
    assert first["domain"] == "s-domain" and first["group"] == "s-group"
    assert first["version"] == 2
    assert first["role_count"] == 2 and first["expectation_count"] == 4
    assert first["url"] == "http://testserver/api/v1/skills/s-skill-000/"
    assert first["html_url"] == "http://testserver/skills/s-skill-000/"
    second = api.get(body["next"]).json()
    assert [s["slug"] for s in second["results"]] == ["s-skill-002"]
    assert second["previous"] is not None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"domain": "s-domain"}, ["s-skill-000", "s-skill-001", "s-skill-002"]),
        ({"group": "other-group"}, ["other"]),
        ({"role": "s-role-1"}, ["s-skill-000", "s-skill-001", "s-skill-002"]),
        ({"role": "other-role"}, []),
        ({"search": "Skill 001"}, ["s-skill-001"]),
        ({"search": "plumbing"}, ["other"]),
        ({"domain": "s-domain", "search": "plumbing"}, []),
    ],
)
def test_skills_filters_take_slugs_and_search(api, matrix, params, expected):
    """Skills filter by domain, group and role slugs, and `search` finds words in texts."""
    from tests.factories import RoleFactory

    RoleFactory(slug="other-role")
    SkillFactory(slug="other", name="Other", summary="Plumbing.", group__slug="other-group")
    for skill in Skill.objects.all():  # the search document is kept by the services
        skill_record_change(skill=skill, summary="index")
    assert [s["slug"] for s in results(api.get("/api/v1/skills/", params))] == expected


def test_search_behaves_as_the_catalogue_q(api, client, matrix):
    """The API's `search` finds the same skills as the HTML catalogue's `q`."""
    api_slugs = [s["slug"] for s in results(api.get("/api/v1/skills/", {"search": "001"}))]
    page = client.get("/skills/", {"q": "001"}).content.decode()
    assert api_slugs == ["s-skill-001"]
    assert "/skills/s-skill-001/" in page and "/skills/s-skill-000/" not in page


def test_skill_detail_has_version_counts_and_expectations(api, matrix, levels):
    """A skill answers with its version, counts and nested expectations (slugs)."""
    body = api.get("/api/v1/skills/s-skill-001/").json()
    assert body["slug"] == "s-skill-001"
    assert body["version"] == 2
    assert body["domain"] == {"slug": "s-domain", "name": "Data"}
    assert body["group"] == {"slug": "s-group", "name": "Pipelines"}
    assert body["counts"] == {"roles": 2, "levels": 2, "required": 2, "optional": 2}
    rows = [(e["level"], e["role"], e["necessity"]) for e in body["expectations"]]
    assert rows == [
        ("junior", "s-role-0", "optional"),
        ("junior", "s-role-1", "optional"),
        ("middle", "s-role-0", "required"),
        ("middle", "s-role-1", "required"),
    ]
    assert body["expectations"][0]["description"] == "Understands skill 1 well."
    assert body["revisions_url"] == "http://testserver/api/v1/skills/s-skill-001/revisions/"
    assert body["html_url"] == "http://testserver/skills/s-skill-001/"


def test_roles_list_and_role_matrix(api, matrix, levels):
    """Roles list their counts; one role answers with its levels and skills × levels."""
    roles = results(api.get("/api/v1/roles/"))
    assert [
        (r["slug"], r["skill_count"], r["expectation_count"], r["required_count"]) for r in roles
    ] == [("s-role-0", 3, 6, 3), ("s-role-1", 3, 6, 3)]
    body = api.get("/api/v1/roles/s-role-0/").json()
    assert body["counts"] == {"skills": 3, "levels": 5, "required": 3, "expectations": 6}
    assert [lvl["slug"] for lvl in body["levels"]] == [
        "junior",
        "middle",
        "senior",
        "lead",
        "principal",
    ]
    assert body["levels"][0]["focus"] == "Role 0 at Junior"
    assert body["levels"][0]["stack"] == ["Python"]
    assert body["levels"][4]["focus"] == "" and body["levels"][4]["stack"] == []
    (group,) = body["matrix"]
    assert group["slug"] == "s-group" and group["domain"] == "s-domain"
    assert [s["slug"] for s in group["skills"]] == ["s-skill-000", "s-skill-001", "s-skill-002"]
    assert group["skills"][1]["expectations"] == [
        {"level": "junior", "necessity": "optional", "description": "Understands skill 1 well."},
        {"level": "middle", "necessity": "required", "description": "Applies skill 1 alone."},
    ]


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 12),
        ({"skill": "s-skill-000"}, 4),
        ({"role": "s-role-0"}, 6),
        ({"level": "middle"}, 6),
        ({"necessity": "required"}, 6),
        ({"skill": "s-skill-000", "role": "s-role-1", "level": "junior"}, 1),
        ({"level": "senior"}, 0),
    ],
)
def test_expectations_filter_by_skill_role_level_necessity(api, matrix, params, count):
    """Expectation rows filter by skill, role and level slugs and by necessity."""
    body = api.get("/api/v1/expectations/", params).json()
    assert body["count"] == count
    for row in body["results"]:
        for name, value in params.items():
            assert row[name] == value


def test_expectations_are_ordered_by_skill_level_role(api, matrix):
    """Rows come by skill name, then level rank, then role."""
    rows = results(api.get("/api/v1/expectations/", {"page_size": 5}))
    assert [(r["skill"], r["level"], r["role"]) for r in rows] == [
        ("s-skill-000", "junior", "s-role-0"),
        ("s-skill-000", "junior", "s-role-1"),
        ("s-skill-000", "middle", "s-role-0"),
        ("s-skill-000", "middle", "s-role-1"),
        ("s-skill-001", "junior", "s-role-0"),
    ]


def test_expectation_detail(api, matrix):
    """One expectation by id, with a link to itself."""
    expectation = Expectation.objects.get(
        skill__slug="s-skill-002", role__slug="s-role-1", level__slug="middle"
    )
    body = api.get(f"/api/v1/expectations/{expectation.pk}/").json()
    assert body["skill"] == "s-skill-002" and body["necessity"] == "required"
    assert body["url"] == f"http://testserver/api/v1/expectations/{expectation.pk}/"


def test_revisions_newest_first_with_diffs(api, matrix):
    """A skill's revisions come newest first, each with its diff against the one before."""
    newest, first = results(api.get("/api/v1/skills/s-skill-000/revisions/"))
    assert (newest["version"], newest["summary"]) == (2, "Clearer wording")
    assert newest["diff"]["fields"] == []
    (cell,) = newest["diff"]["expectations"]
    assert cell["change"] == "changed"
    assert cell["after"]["description"] == "Understands skill 0 well."
    assert cell["before"]["description"] == "Knows the basics of skill 0."
    assert first["version"] == 1
    assert {f["field"] for f in first["diff"]["fields"]} == {"name", "summary", "group"}
    assert [c["change"] for c in first["diff"]["expectations"]] == ["added"] * 4
    assert newest["html_url"] == "http://testserver/skills/s-skill-000/history/2/"


def test_revisions_diff_across_page_boundary(api, matrix):
    """On a page of one, the diff still compares with the revision on the next page."""
    body = api.get("/api/v1/skills/s-skill-000/revisions/", {"page_size": 1}).json()
    (newest,) = body["results"]
    assert [c["change"] for c in newest["diff"]["expectations"]] == ["changed"]


def test_revision_detail_has_snapshot_and_diff(api, matrix):
    """One revision answers with its diff and the skill's full state."""
    body = api.get("/api/v1/skills/s-skill-000/revisions/2/").json()
    assert body["version"] == 2
    assert len(body["snapshot"]["expectations"]) == 4
    assert body["snapshot"]["group"] == "s-group"
    assert body["diff"]["expectations"][0]["change"] == "changed"


def test_revision_author_is_public_without_email(api, matrix, member):
    """A revision names its author by username and display name, never by email."""
    skill = matrix["skills"][0]
    ExpectationFactory(skill=skill, role=matrix["roles"][0], level__slug="lead", level__rank=4)
    skill_record_change(skill=skill, summary="More", author=member, approver=member)
    response = api.get("/api/v1/skills/s-skill-000/revisions/3/")
    body = response.json()
    assert body["author"] == {
        "username": "member",
        "display_name": "A Member",
        "url": "http://testserver/users/member/",
    }
    assert member.email not in response.content.decode()
    assert member.email not in api.get("/api/v1/skills/s-skill-000/revisions/").content.decode()


def test_a_large_role_matrix_comes_in_pages(api, matrix, monkeypatch):
    """A role's matrix is paginated by skill; counts stay the whole role's."""
    from skills import selectors

    monkeypatch.setattr(selectors, "ROLE_MATRIX_PAGE_SIZE", 2)
    first = api.get("/api/v1/roles/s-role-0/").json()
    assert [s["slug"] for s in first["matrix"][0]["skills"]] == ["s-skill-000", "s-skill-001"]
    assert first["counts"]["skills"] == 3
    assert first["matrix_page"] == {
        "number": 1,
        "pages": 2,
        "skills_per_page": 2,
        "next": "http://testserver/api/v1/roles/s-role-0/?page=2",
        "previous": None,
    }
    second = api.get(first["matrix_page"]["next"]).json()
    assert [s["slug"] for s in second["matrix"][0]["skills"]] == ["s-skill-002"]
    assert second["matrix_page"]["previous"] == "http://testserver/api/v1/roles/s-role-0/?page=1"
    past = api.get("/api/v1/roles/s-role-0/", {"page": 3})
    assert past.status_code == 404 and past.json()["errors"][0]["field"] == "page"
    bad = api.get("/api/v1/roles/s-role-0/", {"page": "two"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "page"
