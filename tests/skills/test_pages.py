import json
import re

import pytest
from django.utils.html import escape

from skills.models import Expectation, Necessity, Skill
from tests.factories import (
    ExpectationFactory,
    RoleFactory,
    RoleLevelFactory,
    SkillFactory,
    SkillGroupFactory,
)


def text_of(response):
    return response.content.decode()


@pytest.mark.django_db
class TestSkillPage:
    def test_reference_skill_page_carries_the_reference_content(self, client, demo_matrix):
        """Name, domain and group links, counts, last update, all ten texts by level."""
        response = client.get("/skills/ml-deployment/")
        html = text_of(response)
        assert response.status_code == 200
        assert "<h1>ML Deployment</h1>" in html
        assert 'href="/skills/?domain=machine-learning-ai"' in html
        assert 'href="/skills/?group=mlops"' in html
        assert escape("Machine Learning & AI") in html
        stats = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(\d+)</dd>", html))
        assert stats == {"Roles": "2", "Levels": "5", "Required": "0"}
        assert "the other 10 are optional" in html
        assert "Last updated" in html
        for exp in Expectation.objects.filter(skill__slug="ml-deployment"):
            assert escape(exp.description) in html
        sections = re.findall(r'<h3 id="level-([a-z]+)-title">', html)
        assert sections == ["junior", "middle", "senior", "lead", "principal"]
        assert 'href="/skills/ml-deployment/history/"' in html
        assert 'href="/api/v1/skills/ml-deployment/"' in html
        assert "How to use" in html and "Expectations by level" in html

    def test_each_row_opens_to_its_details_with_a_propose_link(self, client, demo_matrix):
        html = text_of(client.get("/skills/ml-deployment/"))
        row = html.split('id="exp-llm-engineer-senior"')[1].split("</tr>")[0]
        assert "<details" in row
        assert "/skills/ml-deployment/propose/?role=llm-engineer&amp;level=senior" in row
        assert "last changed" in row

    def test_promotion_cards_show_what_the_next_level_adds(self, client, levels):
        skill = SkillFactory(slug="testing")
        role = RoleFactory(slug="dev", name="Dev")
        ExpectationFactory(skill=skill, role=role, level=levels[1], description="Writes tests.")
        ExpectationFactory(
            skill=skill,
            role=role,
            level=levels[2],
            necessity=Necessity.REQUIRED,
            description="Designs the test plan.",
        )
        response = client.get("/skills/testing/?role=dev&level=middle")
        html = text_of(response)
        assert response.status_code == 200
        assert "Dev: from Middle to Senior" in html
        cards = html.split('class="card-grid promotion-cards"')[1].split("</section>")[0]
        assert "Becomes required" in cards
        assert "Designs the test plan." in cards
        assert "selected>Dev</option>" in html and "selected>Middle</option>" in html

    def test_new_expectation_at_the_next_level_is_marked_new(self, client, levels):
        skill = SkillFactory(slug="k8s")
        role = RoleFactory(slug="ops")
        ExpectationFactory(skill=skill, role=role, level=levels[3], description="Runs clusters.")
        html = text_of(client.get("/skills/k8s/?role=ops&level=senior"))
        assert "New at this level" in html and "Runs clusters." in html

    def test_highest_level_has_no_next_step(self, client, levels):
        ExpectationFactory(
            skill=SkillFactory(slug="x"), role=RoleFactory(slug="r"), level=levels[4]
        )
        html = text_of(client.get("/skills/x/?role=r&level=principal"))
        assert "is the highest level" in html

    @pytest.mark.parametrize("query", ["role=ghost&level=junior", "role=data-scientist&level=9"])
    def test_unknown_role_or_level_is_a_400_with_a_message(self, client, demo_matrix, query):
        response = client.get(f"/skills/ml-deployment/?{query}")
        assert response.status_code == 400
        assert 'class="form-errors"' in text_of(response)

    def test_unknown_skill_is_a_404_page(self, client, db):
        response = client.get("/skills/no-such-skill/")
        assert response.status_code == 404
        assert "Page not found" in text_of(response)

    def test_skill_without_expectations_has_empty_states(self, client, levels):
        SkillFactory(slug="lonely", name="Lonely")
        html = text_of(client.get("/skills/lonely/"))
        assert html.count("No expectations at this level yet.") == 5

    def test_user_text_is_escaped(self, client, levels):
        skill = SkillFactory(slug="xss", name="<script>alert(1)</script>")
        ExpectationFactory(skill=skill, level=levels[0], description="<img src=x onerror=alert(1)>")
        html = text_of(client.get("/skills/xss/"))
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.django_db
class TestRolePages:
    def test_roles_list(self, client, demo_matrix):
        html = text_of(client.get("/roles/"))
        assert 'href="/roles/data-scientist/"' in html and "LLM Engineer" in html

    def test_role_page_counts_focus_stack_and_matrix(self, client, levels):
        role = RoleFactory(slug="dev", name="Developer")
        RoleLevelFactory(
            role=role, level=levels[0], focus="Ships small changes.", stack=["Git", "pytest"]
        )
        a, b = SkillFactory(name="Alpha"), SkillFactory(name="Beta")
        ExpectationFactory(skill=a, role=role, level=levels[0], description="Alpha junior.")
        ExpectationFactory(
            skill=a,
            role=role,
            level=levels[2],
            necessity=Necessity.REQUIRED,
            description="Alpha senior.",
        )
        ExpectationFactory(skill=b, role=role, level=levels[1], description="Beta middle.")
        response = client.get("/roles/dev/")
        html = text_of(response)
        assert response.status_code == 200
        stats = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>(\d+)</dd>", html))
        assert stats == {"Skills": "2", "Levels": "5", "Required": "1", "All expectations": "3"}
        assert "Ships small changes." in html and "<li>pytest</li>" in html
        matrix = html.split('class="matrix"')[1]
        alpha_row = matrix.split(f'href="/skills/{a.slug}/"')[1].split("</tr>")[0]
        cells = re.findall(r"<td>(.*?)</td>", alpha_row, re.S)
        assert len(cells) == 5
        assert "Alpha junior." in cells[0] and "Alpha senior." in cells[2]
        assert "<details" in cells[0] and "—" in cells[1]

    def test_unknown_role_is_404(self, client, db):
        assert client.get("/roles/ghost/").status_code == 404


@pytest.mark.django_db
class TestCompare:
    def test_lists_added_required_and_changed(self, client, levels):
        role = RoleFactory(slug="dev")
        added, promoted, deeper, dropped = (SkillFactory(name=n) for n in "ABCD")
        ExpectationFactory(skill=added, role=role, level=levels[2], description="A at senior.")
        ExpectationFactory(skill=promoted, role=role, level=levels[1], description="Same.")
        ExpectationFactory(
            skill=promoted,
            role=role,
            level=levels[2],
            description="Same.",
            necessity=Necessity.REQUIRED,
        )
        ExpectationFactory(skill=deeper, role=role, level=levels[1], description="C basic.")
        ExpectationFactory(skill=deeper, role=role, level=levels[2], description="C deep.")
        ExpectationFactory(skill=dropped, role=role, level=levels[1], description="D only.")
        response = client.get("/roles/dev/compare/?from=middle&to=senior")
        html = text_of(response)
        assert response.status_code == 200
        rows = re.findall(r'<tr class="kind-(\w+)">\s*<th scope="row"><a [^>]+>(\w)</a>', html)
        assert sorted(rows) == [("changed", "C"), ("new", "A"), ("removed", "D"), ("required", "B")]

    @pytest.mark.parametrize(
        "query", ["from=middle&to=nine", "from=x&to=senior", "from=senior&to=senior"]
    )
    def test_bad_levels_are_a_400_page(self, client, levels, query):
        RoleFactory(slug="dev")
        response = client.get(f"/roles/dev/compare/?{query}")
        assert response.status_code == 400
        assert 'class="form-errors"' in text_of(response)

    def test_defaults_to_the_first_two_levels(self, client, levels):
        RoleFactory(slug="dev")
        html = text_of(client.get("/roles/dev/compare/"))
        assert "From Junior to Middle" in html


@pytest.mark.django_db
class TestHomeCatalogueAndHealth:
    def test_home_lists_domains_groups_skills_and_counts(self, client, demo_matrix):
        html = text_of(client.get("/"))
        assert escape("Machine Learning & AI") in html
        assert 'href="/skills/?group=mlops"' in html
        assert 'href="/skills/ml-deployment/"' in html
        assert f"<dd>{Skill.objects.count()}</dd>" in html

    def test_home_empty_state(self, client, db):
        assert "The matrix is empty" in text_of(client.get("/"))

    def test_catalogue_paginates(self, client, levels):
        for i in range(30):
            SkillFactory(name=f"Skill {i:02d}")
        first, second = client.get("/skills/"), client.get("/skills/?page=2")
        assert "30 skills" in text_of(first)
        assert text_of(first).count('class="result"') == 24
        assert text_of(second).count('class="result"') == 6
        assert "Page 2 of 2" in text_of(second)

    def test_healthz(self, client, db):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert json.loads(response.content)["status"] == "ok"


@pytest.mark.django_db
class TestHistory:
    def test_history_lists_revisions_and_shows_a_word_diff(self, client, demo_matrix, tmp_path):
        from skills.services import skill_record_change

        exp = Expectation.objects.get(
            skill__slug="ml-deployment", role__slug="llm-engineer", level__slug="junior"
        )
        exp.description = exp.description.replace("basics", "essentials")
        exp.necessity = Necessity.REQUIRED
        exp.save()
        revision = skill_record_change(skill=exp.skill, summary="Sharper wording")
        assert revision.version == 2
        html = text_of(client.get("/skills/ml-deployment/history/"))
        assert html.index("Version 2") < html.index("Version 1")
        assert "Sharper wording" in html
        detail = text_of(client.get("/skills/ml-deployment/history/2/"))
        assert "<del>basics</del>" in detail and "<ins>essentials</ins>" in detail
        assert "Changes since version 1" in detail

    def test_recording_without_a_change_writes_nothing(self, demo_matrix):
        from skills.services import skill_record_change

        skill = Skill.objects.get(slug="ml-deployment")
        assert skill_record_change(skill=skill, summary="noop") is None
        assert skill.revisions.count() == 1

    def test_unknown_version_is_404(self, client, demo_matrix):
        assert client.get("/skills/ml-deployment/history/99/").status_code == 404


@pytest.mark.django_db
def test_role_matrix_is_paginated_by_skill(client, levels):
    """A role with many skills shows them a hundred at a time; the counts cover them all."""
    role, group = RoleFactory(slug="big"), SkillGroupFactory()
    for i in range(130):
        skill = SkillFactory(name=f"S{i:03d}", group=group)
        ExpectationFactory(role=role, level=levels[i % 5], skill=skill)
    first = text_of(client.get("/roles/big/"))
    second = text_of(client.get("/roles/big/?page=2"))
    assert re.search(r"<dt>Skills</dt><dd[^>]*>130</dd>", first)
    assert first.count('<th scope="row"><a href="/skills/') == 100
    assert second.count('<th scope="row"><a href="/skills/') == 30
    assert "Page 2 of 2" in second and ">S129<" in second and ">S129<" not in first
