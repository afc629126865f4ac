"""The watchers every browser test relies on do catch what they look for, else their empty lists
would prove nothing: a script the site's Content-Security-Policy refuses is reported as a
violation, and as a console error."""

import pytest


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_inline_script_is_caught_as_a_csp_violation_and_a_console_error(
    live_server, page, console_errors, csp_violations
):
    page.goto(f"{live_server.url}/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.append(script);
        }"""
    )
    for _ in range(20):  # the report crosses from the page to Python asynchronously
        if csp_violations and console_errors:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.__ran") is None, "the policy refused the inline script"
    assert len(csp_violations) == 1
    assert csp_violations[0].startswith(f"script-src-elem blocked inline in {live_server.url}/")
    assert any("Content Security Policy" in error for error in console_errors)
