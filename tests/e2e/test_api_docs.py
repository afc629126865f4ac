"""The API documentation works in a real browser, offline and under the site's CSP."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_every_endpoint(
    live_server, page, console_errors, csp_violations, screenshot_dir
):
    """/api/docs/ shows Swagger UI with the endpoints, with no console error and no request
    leaving our own server."""
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/skills/{slug}/" in p for p in paths)
    assert any("/api/v1/expectations/" in p for p in paths)
    page.screenshot(path=str(screenshot_dir / "api-docs.png"))
    assert outside == []
    assert csp_violations == []
    assert console_errors == []
