"""Catalogue search and filters, on SQLite (word matching) and PostgreSQL (full-text)."""

import re

import pytest
from django.db import connection

from tests.factories import (
    DomainFactory,
    ExpectationFactory,
    RoleFactory,
    SkillFactory,
    SkillGroupFactory,
)


def result_names(response):
    return re.findall(
        r'<li class="result">\s*<h2><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def catalogue(levels):
    ml = SkillGroupFactory(slug="mlops", name="MLOps", domain=DomainFactory(slug="ml"))
    web = SkillGroupFactory(slug="frontend", name="Frontend", domain=DomainFactory(slug="web"))
    scientist, developer = RoleFactory(slug="data-scientist"), RoleFactory(slug="developer")
    deploy = SkillFactory(
        name="ML Deployment", slug="ml-deployment", group=ml, summary="Taking models to production."
    )
    monitor = SkillFactory(
        name="Model Monitoring",
        slug="model-monitoring",
        group=ml,
        summary="Watching predictions drift.",
    )
    a11y = SkillFactory(
        name="Accessibility", slug="accessibility", group=web, summary="Pages everybody can use."
    )
    ExpectationFactory(
        skill=deploy,
        role=scientist,
        level=levels[0],
        description="Deploys models with BentoML behind a REST API.",
    )
    ExpectationFactory(
        skill=monitor,
        role=scientist,
        level=levels[1],
        description="Sets alerts on deployed models and their drift.",
    )
    ExpectationFactory(
        skill=a11y,
        role=developer,
        level=levels[0],
        description="Uses semantic HTML and labels every form field.",
    )
    # The search document is kept by the services; factories bypass them.
    from skills.services import skill_record_change

    for skill in (deploy, monitor, a11y):
        skill_record_change(skill=skill, summary="test data")


@pytest.mark.django_db
class TestSearch:
    def test_finds_words_in_names_summaries_and_expectations(self, client, catalogue):
        assert result_names(client.get("/skills/?q=BentoML")) == ["ML Deployment"]
        assert result_names(client.get("/skills/?q=semantic+labels")) == ["Accessibility"]
        assert result_names(client.get("/skills/?q=production")) == ["ML Deployment"]

    def test_name_matches_rank_first(self, client, catalogue):
        names = result_names(client.get("/skills/?q=deployment"))
        assert names[0] == "ML Deployment"

    def test_no_match_shows_an_empty_state(self, client, catalogue):
        response = client.get("/skills/?q=quantum")
        assert response.status_code == 200
        assert result_names(response) == []
        assert "No skills found" in response.content.decode()

    def test_full_text_search_stems_words(self, client, catalogue, postgres_only):
        """On PostgreSQL, "deploying" finds "Deploys" and "deployed" (English stemming)."""
        names = result_names(client.get("/skills/?q=deploying"))
        assert set(names) == {"ML Deployment", "Model Monitoring"}

    def test_full_text_search_uses_the_gin_index(self, catalogue, postgres_only):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                ["skill_search_vector_gin"],
            )
            assert "gin" in cursor.fetchone()[0]

    def test_web_search_syntax_on_postgres(self, client, catalogue, postgres_only):
        names = result_names(client.get("/skills/?q=models+-drift"))
        assert names == ["ML Deployment"]


@pytest.mark.django_db
class TestFilters:
    def test_filter_by_domain_group_and_role(self, client, catalogue):
        assert set(result_names(client.get("/skills/?domain=ml"))) == {
            "ML Deployment",
            "Model Monitoring",
        }
        assert result_names(client.get("/skills/?group=frontend")) == ["Accessibility"]
        assert result_names(client.get("/skills/?role=developer")) == ["Accessibility"]
        assert result_names(client.get("/skills/?domain=ml&q=alerts")) == ["Model Monitoring"]

    def test_role_filter_keeps_counts_right(self, client, catalogue):
        html = client.get("/skills/?role=data-scientist").content.decode()
        assert html.count("1 role · 1 expectation") == 2

    @pytest.mark.parametrize(
        "query", ["domain=nowhere", "group=../etc", "role=%00", "q=%00bad", "domain=ml%00"]
    )
    def test_unknown_or_malformed_values_are_a_400_page(self, client, catalogue, query):
        response = client.get(f"/skills/?{query}")
        assert response.status_code == 400
        html = response.content.decode()
        assert 'class="form-errors"' in html
        assert result_names(response) == []

    def test_out_of_range_page_shows_the_last_page(self, client, catalogue):
        response = client.get("/skills/?page=999")
        assert response.status_code == 200
        assert len(result_names(response)) == 3
