"""Anonymous pages come from the cache, and never outlive a change to the matrix."""

import itertools

import pytest
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from django.urls import path

from skills.cache import cache_anonymous_page
from skills.importer import check_matrix
from skills.models import Expectation
from skills.selectors import matrix_export
from skills.services import matrix_import, skill_record_change
from tests.factories import UserFactory

PAGES = [
    "/",
    "/skills/",
    "/skills/ml-deployment/",
    "/roles/",
    "/roles/llm-engineer/",
    "/roles/llm-engineer/compare/?from=junior&to=middle",
]


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


@pytest.mark.django_db
class TestPageCache:
    @pytest.mark.parametrize("url", PAGES)
    def test_second_anonymous_visit_is_served_from_the_cache(self, client, demo_matrix, url):
        first, cold = queries(client, url)
        second, warm = queries(client, url)
        assert first.status_code == second.status_code == 200
        assert second.content == first.content
        assert warm == 1 < cold  # only the matrix generation is read

    def test_a_hit_does_not_resolve_its_address_again(self, client, demo_matrix, monkeypatch):
        """Which addresses may be cached is remembered per address; a hit skips the resolver
        (half of its time), a page that is never cached is still told apart."""
        import skills.cache

        client.get("/skills/ml-deployment/")
        client.get("/accounts/login/")
        resolved = []
        real_resolve = skills.cache.resolve
        monkeypatch.setattr(
            skills.cache, "resolve", lambda *a: resolved.append(a) or real_resolve(*a)
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/skills/ml-deployment/").status_code == 200
        assert len(ctx.captured_queries) == 1 and resolved == []
        login = client.get("/accounts/login/")
        assert login.status_code == 200 and "csrftoken" in login.cookies  # the view answered
        assert resolved == []

    def test_long_addresses_are_not_remembered(self, client, demo_matrix):
        """What is remembered per address stays small: a long address is resolved each time."""
        from skills.cache import _remembered_is_cacheable_path

        _remembered_is_cacheable_path.cache_clear()
        assert client.get("/skills/" + "x" * 300 + "/").status_code == 404
        assert _remembered_is_cacheable_path.cache_info().currsize == 0
        assert client.get("/skills/ml-deployment/").status_code == 200
        assert _remembered_is_cacheable_path.cache_info().currsize == 1

    def test_a_change_shows_at_once(self, client, demo_matrix):
        url = "/skills/ml-deployment/"
        client.get(url)
        row = Expectation.objects.get(
            skill__slug="ml-deployment", role__slug="llm-engineer", level__slug="lead"
        )
        row.description = "Brand new lead expectation."
        row.save()
        skill_record_change(skill=row.skill, summary="edit")
        assert "Brand new lead expectation." in client.get(url).content.decode()
        assert "Brand new lead expectation." in client.get("/roles/llm-engineer/").content.decode()

    def test_an_import_invalidates(self, client, demo_matrix):
        client.get("/skills/?group=mlops")
        document = matrix_export()
        for domain in document["domains"]:
            for group in domain["groups"]:
                for skill in group["skills"]:
                    if skill["slug"] == "ml-deployment":
                        skill["name"] = "Renamed Deployment"
        matrix_import(document=check_matrix([("edited.yaml", document)]))
        assert "Renamed Deployment" in client.get("/skills/?group=mlops").content.decode()

    def test_languages_are_cached_apart(self, client, demo_matrix):
        english = client.get("/skills/ml-deployment/?lang=en").content.decode()
        client.cookies.clear()
        chinese = client.get("/skills/ml-deployment/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert "技能档案" in chinese.content.decode()
        assert "Skill profile" in english

    def test_logged_in_visitors_never_get_a_cached_page(self, client, demo_matrix):
        client.get("/skills/ml-deployment/")  # cached for anonymous visitors
        client.force_login(UserFactory(username="carol", display_name="Carol Personal"))
        response, count = queries(client, "/skills/ml-deployment/")
        assert count > 1
        assert "Carol Personal" in response.content.decode()
        client.logout()
        client.cookies.clear()
        anonymous = client.get("/skills/ml-deployment/").content.decode()
        assert "Carol Personal" not in anonymous

    def test_errors_are_not_cached(self, client, demo_matrix):
        assert client.get("/skills/?domain=nowhere").status_code == 400
        response, count = queries(client, "/skills/?domain=nowhere")
        assert response.status_code == 400 and count > 1


@pytest.mark.django_db
def test_cached_answers_keep_the_security_and_language_headers(client, demo_matrix):
    """A hit is answered before the middleware runs, yet carries every header it added."""
    first = client.get("/skills/ml-deployment/?lang=zh-hans")
    client.cookies.clear()
    second, count = queries(client, "/skills/ml-deployment/?lang=zh-hans")
    assert count == 1
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Content-Language",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert second[header] == first[header], header
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second.cookies["django_language"].value == "zh-hans"


@cache_anonymous_page
def form_view(request):
    return HttpResponse(f"token {get_token(request)} call {next(CALLS)}")


CALLS = itertools.count()  # tells a fresh rendering from a cached one
urlpatterns = [path("form/", form_view)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_page_carrying_a_csrf_token_is_never_cached(client):
    """Each visitor must get their own CSRF token, so such a page is rendered every time."""
    first = client.get("/form/").content
    client.cookies.clear()
    second = client.get("/form/").content
    assert first != second
    assert b"call" in second


@pytest.mark.django_db
def test_the_read_api_is_cached_for_anonymous_callers_and_never_stale(client, demo_matrix):
    url = "/api/v1/skills/ml-deployment/"
    first, cold = queries(client, url, HTTP_ACCEPT="application/json")
    second, warm = queries(client, url, HTTP_ACCEPT="application/json")
    assert first.json() == second.json()
    assert warm == 1 < cold
    row = Expectation.objects.get(
        skill__slug="ml-deployment", role__slug="data-scientist", level__slug="junior"
    )
    row.description = "Changed through a revision."
    row.save()
    skill_record_change(skill=row.skill, summary="edit")
    third = client.get(url, HTTP_ACCEPT="application/json").json()
    assert third["version"] == first.json()["version"] + 1
    assert "Changed through a revision." in {e["description"] for e in third["expectations"]}


@pytest.mark.django_db
def test_watcher_count_seen_by_visitors_follows_a_new_watch(client, demo_matrix):
    from accounts.services import watch_create, watch_delete
    from skills.models import Skill

    skill = Skill.objects.get(slug="ml-deployment")
    before = client.get("/skills/ml-deployment/").content.decode()
    watcher = UserFactory(username="watcher")
    watch_create(user=watcher, skill=skill)
    after = client.get("/skills/ml-deployment/").content.decode()
    assert after != before
    watch_delete(user=watcher, skill=skill)
    assert client.get("/skills/ml-deployment/").content.decode() == before


def kill_backend_of(conn) -> int:
    """Close `conn`'s PostgreSQL session from the server side, as a restart does."""
    import psycopg

    conn.ensure_connection()
    pid = conn.connection.info.backend_pid
    settings = conn.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    return pid


@pytest.mark.django_db(transaction=True)
def test_a_hit_after_the_database_dropped_the_connection_reconnects(client, postgres_only):
    """The hit's generation read does the health check's job: a connection the server has
    closed (as a restarted PostgreSQL does) is replaced, and the page is served, not a 503."""
    url = "/skills/"
    assert client.get(url).status_code == 200
    pid = kill_backend_of(connection)
    response, count = queries(client, url)
    assert response.status_code == 200
    assert count == 2, "the failed read, the read on a new connection, and no view's queries"
    assert connection.connection.info.backend_pid != pid


@pytest.mark.django_db(transaction=True)
def test_the_served_generation_read_reconnects_too(client, postgres_only):
    """As served (no query logging, no transaction) PostgreSQL's generation is read through
    libpq directly; a dropped connection is replaced there as well."""
    from skills.cache import matrix_changed, matrix_generation

    url = "/skills/"
    assert client.get(url).status_code == 200
    assert not connection.queries_logged and not connection.in_atomic_block
    pid = kill_backend_of(connection)
    assert client.get(url).status_code == 200
    assert connection.connection.info.backend_pid != pid
    matrix_changed()
    with CaptureQueriesContext(connection):  # the driver's cursor: the same answer
        logged = matrix_generation()
    assert matrix_generation() == logged


@pytest.mark.django_db(transaction=True)
def test_a_failed_generation_read_is_a_database_error_not_a_reconnect(postgres_only, monkeypatch):
    from django.db import DatabaseError, OperationalError

    import skills.cache

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    monkeypatch.setattr(skills.cache, "_GENERATION_SQL", "SELECT generation FROM no_such_table")
    with pytest.raises(DatabaseError) as raised:
        skills.cache.matrix_generation()
    assert not isinstance(raised.value, OperationalError)
    assert "no_such_table" in str(raised.value)
    assert connection.connection.info.backend_pid == pid  # kept: nothing was wrong with it
    monkeypatch.undo()
    assert skills.cache.matrix_generation() >= 0


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/skills/ml-deployment/", "/api/v1/skills/ml-deployment/"])
def test_page_cache_seconds_zero_turns_the_cache_off(client, demo_matrix, settings, url):
    settings.SKILLMATRIX_PAGE_CACHE_SECONDS = 0
    first, cold = queries(client, url)
    second, again = queries(client, url)
    assert first.status_code == second.status_code == 200
    assert again == cold > 1, "every visit is answered by the view, the same way"


@pytest.mark.django_db(transaction=True)
def test_levels_roles_and_groups_kept_per_process_follow_every_change(client, demo_matrix):
    """The skill page keeps the small tables between requests (selectors.matrix_reference);
    renaming a level or a role in the admin shows on the next view all the same."""
    from skills.models import Level, Role, SkillGroup

    url = "/skills/ml-deployment/?x=uncached"  # any query: each address is cached apart
    assert "Junior" in client.get(url).content.decode()
    level = Level.objects.get(slug="junior")
    level.name = "Novice"
    level.save()
    role = Role.objects.get(slug="llm-engineer")
    role.name = "Language Model Engineer"
    role.save()
    group = SkillGroup.objects.get(skills__slug="ml-deployment")
    group.name = "Shipping models"
    group.save()
    group.domain.name = "Learning machines"
    group.domain.save()
    html = client.get(url + "&again=1").content.decode()
    assert "Novice" in html and ">Junior<" not in html
    assert "Language Model Engineer" in html
    assert "Shipping models" in html
    assert "Learning machines" in html


@pytest.mark.django_db(transaction=True)
def test_a_role_or_group_newer_than_the_kept_tables_is_read_not_missed(client, demo_matrix):
    """A role or group committed between a view's read of the generation and its read of the
    skill is not among the tables kept for that generation: the view reads them again."""
    from skills.models import Domain, Level, Role, Skill, SkillGroup

    url = "/skills/ml-deployment/?x=uncached"
    assert client.get(url).status_code == 200  # the tables are now kept
    # bulk_create sends no signal: the generation stays as it was, as in that race.
    (domain,) = Domain.objects.bulk_create([Domain(name="Late domain", slug="late-domain")])
    (group,) = SkillGroup.objects.bulk_create(
        [SkillGroup(domain=domain, name="Late group", slug="late-group")]
    )
    (role,) = Role.objects.bulk_create([Role(name="Late Role", slug="late-role")])
    Skill.objects.filter(slug="ml-deployment").update(group=group)
    skill = Skill.objects.get(slug="ml-deployment")
    Expectation.objects.bulk_create(
        [Expectation(skill=skill, role=role, level=Level.objects.get(slug="junior"))]
    )

    response = client.get(url + "&again=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Late Role" in html and "Late group" in html and "Late domain" in html


@pytest.mark.django_db(transaction=True)
def test_a_role_deleted_between_a_views_two_reads_leaves_the_page_whole(
    client, demo_matrix, monkeypatch
):
    """The view reads the skill's rows, then finds a role missing from the kept tables and
    reads them again; a role deleted in between (its rows first: they protect it) is left out,
    not a 500."""
    import skills.selectors
    from skills.models import Level, Role, Skill

    url = "/skills/ml-deployment/?x=uncached"
    assert client.get(url).status_code == 200  # the tables are now kept
    (late,) = Role.objects.bulk_create([Role(name="Short-lived Role", slug="short-lived")])
    skill = Skill.objects.get(slug="ml-deployment")
    Expectation.objects.bulk_create(
        [Expectation(skill=skill, role=late, level=Level.objects.get(slug="junior"))]
    )
    real_reference = skills.selectors.matrix_reference

    def delete_then_read(*, fresh=False):
        if fresh:  # the re-read: the role and its rows are deleted just before it
            Expectation.objects.filter(role=late).delete()
            Role.objects.filter(pk=late.pk).delete()
        return real_reference(fresh=fresh)

    monkeypatch.setattr(skills.selectors, "matrix_reference", delete_then_read)
    response = client.get(url + "&again=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Short-lived Role" not in html and "LLM Engineer" in html


@pytest.mark.django_db
def test_reading_the_generation_stands_for_the_connection_health_check():
    """CONN_HEALTH_CHECKS makes Django send `SELECT 1` before a request's first query; the
    generation read has just shown the connection works, so that round trip is saved."""
    from skills.cache import matrix_generation

    connection.ensure_connection()
    connection.health_check_done = False  # as at the start of a request
    matrix_generation()
    assert connection.health_check_done


@pytest.mark.django_db
def test_no_generation_is_given_twice_even_after_the_state_row_is_lost():
    """Emptied databases (between tests) and restored backups bring old generation numbers
    back; a generation must still name one state of the matrix, or a process would take what
    it keeps for the old state (cached pages, the small tables) for the new one."""
    from skills.cache import FIRST_GENERATION, matrix_changed, matrix_generation
    from skills.models import MatrixState

    seen = set()
    for round_no in range(30):
        matrix_changed()
        generation = matrix_generation()
        assert generation >= FIRST_GENERATION and generation not in seen
        seen.add(generation)
        if round_no % 3 == 2:
            MatrixState.objects.all().delete()  # as a flush between tests does
            assert matrix_generation() == 0
