import pytest
from django.test import override_settings

from skills.models import Expectation, Necessity, Skill
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def inline_payload(skill):
    rows = list(skill.expectations.order_by("level__rank", "role__name"))
    data = {
        "group": skill.group_id,
        "name": skill.name,
        "slug": skill.slug,
        "summary": skill.summary,
        "expectations-TOTAL_FORMS": len(rows),
        "expectations-INITIAL_FORMS": len(rows),
        "expectations-MIN_NUM_FORMS": 0,
        "expectations-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data |= {
            f"expectations-{i}-id": row.pk,
            f"expectations-{i}-skill": skill.pk,
            f"expectations-{i}-role": row.role_id,
            f"expectations-{i}-level": row.level_id,
            f"expectations-{i}-necessity": row.necessity,
            f"expectations-{i}-description": row.description,
        }
    return data, rows


@pytest.mark.django_db
class TestAdmin:
    @pytest.mark.parametrize(
        "model", ["domain", "skillgroup", "skill", "role", "level", "expectation", "revision"]
    )
    def test_changelists_and_search_work(self, admin_client, demo_matrix, model):
        response = admin_client.get(f"/admin/skills/{model}/?q=deploy")
        assert response.status_code == 200

    def test_skill_change_form_shows_expectations_inline(self, admin_client, demo_matrix):
        skill = Skill.objects.get(slug="ml-deployment")
        html = admin_client.get(f"/admin/skills/skill/{skill.pk}/change/").content.decode()
        assert "Understands the fundamentals of ML Deployment." in html

    def test_an_admin_edit_is_a_revision(self, admin_client, demo_matrix):
        """Editing a row in the admin bumps the version and writes a revision by the editor."""
        skill = Skill.objects.get(slug="ml-deployment")
        data, rows = inline_payload(skill)
        data["expectations-0-necessity"] = Necessity.REQUIRED
        response = admin_client.post(f"/admin/skills/skill/{skill.pk}/change/", data)
        assert response.status_code == 302
        skill.refresh_from_db()
        assert skill.version == 2
        revision = skill.revisions.get(version=2)
        assert revision.author.username == "admin"
        assert revision.snapshot["expectations"][0]["necessity"] == "required"
        assert Expectation.objects.get(pk=rows[0].pk).necessity == Necessity.REQUIRED

    def test_saving_without_changes_writes_no_revision(self, admin_client, demo_matrix):
        skill = Skill.objects.get(slug="ml-deployment")
        data, _ = inline_payload(skill)
        admin_client.post(f"/admin/skills/skill/{skill.pk}/change/", data)
        skill.refresh_from_db()
        assert skill.version == 1 and skill.revisions.count() == 1


@pytest.mark.django_db
@override_settings(DEBUG=False)
@pytest.mark.parametrize("lang,text", [("en", "Something went wrong"), ("zh-hans", "服务器")])
def test_500_page_in_both_languages(client, monkeypatch, lang, text):
    """A server error shows our own page, in the visitor's language, without a traceback."""
    from skills import views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "home_overview", lambda **kw: broken(None))
    client.raise_request_exception = False
    response = client.get(f"/?lang={lang}")
    assert response.status_code == 500
    html = response.content.decode()
    assert text in html
    assert "boom" not in html and "Traceback" not in html
