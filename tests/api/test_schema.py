"""The OpenAPI schema is valid and complete, and its documentation works offline."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema_document(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_spectacular_validates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")


def test_every_operation_documents_responses_errors_and_an_example(schema_document):
    """Each operation has a success schema, the error shape for its errors, and an example."""
    operations = [
        (path, method, op)
        for path, item in schema_document["paths"].items()
        for method, op in item.items()
    ]
    assert len(operations) >= 14
    for path, method, op in operations:
        responses = op["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert success, (path, method)
        errors = [code for code in responses if code.startswith("4")]
        assert "429" in errors, (path, method)
        for code in errors:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/Error"), (path, method, code)
        examples = [
            response.get("content", {}).get("application/json", {}).get("examples")
            for code, response in responses.items()
            if code.startswith("2")
        ]
        has_example = any(examples) or method == "delete"
        assert has_example, (path, method)
        assert op.get("summary"), (path, method)


def test_schema_lists_the_contract_paths(schema_document):
    """The paths of PRODUCT.md §5 that exist so far are all in the schema."""
    for path in [
        "/api/v1/domains/",
        "/api/v1/groups/",
        "/api/v1/levels/",
        "/api/v1/skills/",
        "/api/v1/skills/{slug}/",
        "/api/v1/roles/",
        "/api/v1/roles/{slug}/",
        "/api/v1/expectations/",
        "/api/v1/skills/{slug}/revisions/",
    ]:
        assert path in schema_document["paths"]
    params = {p["name"] for p in schema_document["paths"]["/api/v1/skills/"]["get"]["parameters"]}
    assert params >= {"domain", "group", "role", "search", "page", "page_size"}
    params = {
        p["name"] for p in schema_document["paths"]["/api/v1/expectations/"]["get"]["parameters"]
    }
    assert params >= {"skill", "role", "level", "necessity"}


def test_schema_is_served(client):
    """/api/schema/ answers the OpenAPI 3 document."""
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert "tokenAuth" in document["components"]["securitySchemes"]


def test_docs_are_served_without_any_cdn(client):
    """/api/docs/ loads Swagger UI from our own static files, nothing from elsewhere."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", page)
    assert external == []
    assert "cdn" not in page.lower()
