import json
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from skills.models import Domain, Expectation, Level, Necessity, Revision, Role, RoleLevel, Skill
from skills.selectors import matrix_export
from tests.conftest import DEMO_FILES

REFERENCE_TEXTS = {
    ("data-scientist", "junior"): "Understands the fundamentals of ML Deployment. Applies basic "
    "practices in daily work. Follows recommendations from the team and documentation.",
    ("llm-engineer", "principal"): "Shapes enterprise ML serving platform. Defines approaches to "
    "unified model serving for ML and LLM, cost optimization, and capacity planning. Ensures SLA "
    "for critical prediction services.",
}


def small_matrix(**overrides):
    document = {
        "levels": [
            {"slug": "junior", "name": "Junior", "rank": 1},
            {"slug": "senior", "name": "Senior", "rank": 2},
        ],
        "roles": [
            {
                "slug": "dev",
                "name": "Developer",
                "description": "Writes code.",
                "domain": "eng",
                "levels": {"junior": {"focus": "Learning.", "stack": ["Python"]}},
            }
        ],
        "domains": [
            {
                "slug": "eng",
                "name": "Engineering",
                "description": "",
                "groups": [
                    {
                        "slug": "backend",
                        "name": "Backend",
                        "skills": [
                            {
                                "slug": "api-design",
                                "name": "API Design",
                                "summary": "Designing APIs.",
                                "expectations": [
                                    {
                                        "role": "dev",
                                        "level": "junior",
                                        "necessity": "optional",
                                        "description": "Uses APIs.",
                                    },
                                    {
                                        "role": "dev",
                                        "level": "senior",
                                        "necessity": "required",
                                        "description": "Designs APIs.",
                                    },
                                ],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    document.update(overrides)
    return document


def write(tmp_path, document, name="matrix.yaml"):
    path = tmp_path / name
    text = json.dumps(document) if name.endswith(".json") else yaml.safe_dump(document)
    path.write_text(text, encoding="utf-8")
    return path


def run_import(*paths, **options):
    out = StringIO()
    call_command("import_matrix", *map(str, paths), stdout=out, **options)
    return out.getvalue()


def database_state():
    return (
        list(Level.objects.values_list("slug", "name", "rank")),
        list(Role.objects.values_list("slug", "name", "description", "domain__slug")),
        list(RoleLevel.objects.values_list("role__slug", "level__slug", "focus", "stack")),
        list(Skill.objects.values_list("slug", "name", "summary", "group__slug", "version")),
        list(
            Expectation.objects.order_by("pk").values_list(
                "skill__slug", "role__slug", "level__slug", "necessity", "description"
            )
        ),
        Revision.objects.count(),
    )


@pytest.mark.django_db
class TestDemoData:
    def test_demo_data_is_a_realistic_matrix(self, demo_matrix):
        """The demo set has at least 4 domains, 12 groups, 60 skills and 8 roles, both
        necessities, and every role's focus and stack at every level."""
        assert Domain.objects.count() >= 4
        assert Skill.objects.values("group").distinct().count() >= 12
        assert Skill.objects.count() >= 60
        assert Role.objects.count() >= 8
        assert Expectation.objects.filter(necessity=Necessity.REQUIRED).exists()
        assert Expectation.objects.filter(necessity=Necessity.OPTIONAL).exists()
        assert RoleLevel.objects.count() == Role.objects.count() * Level.objects.count()
        assert not RoleLevel.objects.filter(focus="").exists()

    def test_reference_skill_is_as_on_the_reference_page(self, demo_matrix):
        """ML Deployment: MLOps in Machine Learning & AI, two roles, five levels, ten optional
        expectations with the reference page's texts."""
        skill = Skill.objects.select_related("group__domain").get(slug="ml-deployment")
        assert skill.name == "ML Deployment"
        assert skill.group.name == "MLOps"
        assert skill.group.domain.name == "Machine Learning & AI"
        rows = {(e.role.slug, e.level.slug): e for e in skill.expectations.all()}
        assert len(rows) == 10
        assert {role for role, _ in rows} == {"data-scientist", "llm-engineer"}
        assert {level for _, level in rows} == {"junior", "middle", "senior", "lead", "principal"}
        assert all(e.necessity == Necessity.OPTIONAL for e in rows.values())
        for cell, text in REFERENCE_TEXTS.items():
            assert rows[cell].description == text


@pytest.mark.django_db
class TestImport:
    def test_import_creates_everything_and_a_first_revision_per_skill(self, tmp_path):
        output = run_import(write(tmp_path, small_matrix()))
        skill = Skill.objects.get(slug="api-design")
        assert skill.version == 1
        assert skill.group.domain.slug == "eng"
        assert Role.objects.get(slug="dev").domain.slug == "eng"
        assert RoleLevel.objects.get(role__slug="dev", level__slug="junior").stack == ["Python"]
        revision = skill.revisions.get()
        assert revision.version == 1
        assert [row["description"] for row in revision.snapshot["expectations"]] == [
            "Uses APIs.",
            "Designs APIs.",
        ]
        assert "skills: 1 created, 0 updated, 0 unchanged" in output
        assert "expectations: 2 created" in output

    def test_second_run_changes_nothing_and_says_so(self, tmp_path):
        """Idempotent: the same file twice leaves the database as the first run left it."""
        path = write(tmp_path, small_matrix())
        run_import(path)
        before = database_state()
        output = run_import(path)
        assert database_state() == before
        assert "Nothing to change" in output
        assert "skills: 0 created, 0 updated, 1 unchanged" in output

    def test_demo_data_import_is_idempotent(self, demo_matrix):
        before = database_state()
        output = run_import(*DEMO_FILES)
        assert database_state() == before
        assert "Nothing to change" in output

    def test_a_changed_file_updates_and_versions_the_skill(self, tmp_path):
        run_import(write(tmp_path, small_matrix()))
        document = small_matrix()
        rows = document["domains"][0]["groups"][0]["skills"][0]["expectations"]
        rows[0]["description"] = "Uses and documents APIs."
        del rows[1]
        output = run_import(write(tmp_path, document))
        skill = Skill.objects.get(slug="api-design")
        assert skill.version == 2
        assert list(skill.expectations.values_list("description", flat=True)) == [
            "Uses and documents APIs."
        ]
        assert skill.revisions.count() == 2
        assert skill.revisions.get(version=2).snapshot["expectations"][0]["description"] == (
            "Uses and documents APIs."
        )
        assert "expectations: 0 created, 1 updated, 0 unchanged, 1 deleted" in output

    def test_level_ranks_can_be_swapped(self, tmp_path):
        run_import(write(tmp_path, small_matrix()))
        document = small_matrix(
            levels=[
                {"slug": "junior", "name": "Junior", "rank": 2},
                {"slug": "senior", "name": "Senior", "rank": 1},
            ]
        )
        run_import(write(tmp_path, document))
        assert list(Level.objects.values_list("slug", flat=True)) == ["senior", "junior"]

    def test_json_files_are_read_too(self, tmp_path):
        run_import(write(tmp_path, small_matrix(), name="matrix.json"))
        assert Skill.objects.filter(slug="api-design").exists()

    def test_files_are_merged(self, tmp_path):
        """A taxonomy file and a content file import together."""
        document = small_matrix()
        taxonomy = write(
            tmp_path, {"levels": document["levels"], "roles": document["roles"]}, name="a.yaml"
        )
        content = write(tmp_path, {"domains": document["domains"]}, name="b.yaml")
        run_import(taxonomy, content)
        assert Expectation.objects.count() == 2

    def test_large_files_report_progress(self, tmp_path):
        path = tmp_path / "big.json"
        call_command("generate_matrix", str(path), skills=1200, stderr=StringIO())
        output = run_import(path)
        assert "skills: 500/1200" in output
        assert "skills: 1200/1200 (100%)" in output
        assert Skill.objects.count() == 1200
        assert Expectation.objects.count() == 1200 * 2 * 5


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize(
        ("mutate", "message"),
        [
            (
                lambda d: d["domains"][0]["groups"][0]["skills"][0]["expectations"][1].update(
                    level="seniour"
                ),
                "domains[0] (eng).groups[0] (backend).skills[0] (api-design)"
                ".expectations[1].level: unknown level 'seniour'",
            ),
            (
                lambda d: d["domains"][0]["groups"][0]["skills"][0]["expectations"][0].update(
                    necessity="mandatory"
                ),
                "expectations[0].necessity: 'mandatory' is not one of required, optional",
            ),
            (
                lambda d: d["domains"][0]["groups"][0]["skills"][0]["expectations"][0].update(
                    role="nobody"
                ),
                "expectations[0].role: unknown role 'nobody'",
            ),
            (
                lambda d: d["domains"][0]["groups"][0]["skills"][0]["expectations"][1].update(
                    level="junior"
                ),
                "a second expectation for dev at junior",
            ),
            (
                lambda d: d["domains"][0]["groups"][0]["skills"][0].update(slug="Not A Slug"),
                "skills[0] (Not A Slug).slug: 'Not A Slug' is not a slug",
            ),
            (
                lambda d: d["domains"][0]["groups"][0]["skills"][0].pop("name"),
                "skills[0] (api-design).name: required text is missing",
            ),
            (lambda d: d["levels"][1].update(rank="two"), "levels[1].rank: expected a whole"),
            (lambda d: d["roles"][0].update(domain="nowhere"), "unknown domain 'nowhere'"),
            (lambda d: d.update(extra=[]), "unknown section(s): extra"),
        ],
    )
    def test_bad_file_changes_nothing_and_names_file_entry_and_field(
        self, tmp_path, mutate, message
    ):
        run_import(write(tmp_path, small_matrix(), name="good.yaml"))
        before = database_state()
        document = small_matrix()
        # A change that would otherwise apply, so that "nothing changed" means something.
        document["domains"][0]["groups"][0]["skills"][0]["summary"] = "Changed."
        mutate(document)
        path = write(tmp_path, document, name="bad.yaml")
        with pytest.raises(CommandError) as excinfo:
            run_import(path)
        assert str(path) in str(excinfo.value)
        assert message in str(excinfo.value)
        assert database_state() == before

    def test_malformed_yaml_is_reported_with_the_file(self, tmp_path):
        path = tmp_path / "broken.yaml"
        path.write_text("levels: [unclosed\n", encoding="utf-8")
        with pytest.raises(CommandError, match="broken.yaml: invalid YAML"):
            run_import(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="no such file"):
            run_import(tmp_path / "absent.yaml")

    def test_a_failure_while_writing_rolls_everything_back(self, tmp_path, monkeypatch):
        """All or nothing: an error after some rows were written leaves no trace."""
        run_import(write(tmp_path, small_matrix()))
        before = database_state()
        document = small_matrix()
        document["domains"][0]["groups"][0]["skills"][0]["summary"] = "Changed."
        document["levels"].append({"slug": "lead", "name": "Lead", "rank": 3})

        def explode(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(Revision.objects, "bulk_create", explode)
        with pytest.raises(RuntimeError):
            run_import(write(tmp_path, document))
        assert database_state() == before

    def test_check_option_validates_without_writing(self, tmp_path):
        output = run_import(write(tmp_path, small_matrix()), check=True)
        assert "OK" in output
        assert not Skill.objects.exists()


@pytest.mark.django_db
class TestExport:
    def test_round_trip_is_lossless(self, demo_matrix, tmp_path, django_db_blocker):
        """import → export → import (into an empty matrix) → export gives identical data."""
        first = matrix_export()
        path = tmp_path / "export.yaml"
        call_command("export_matrix", output=path, stderr=StringIO())
        Expectation.objects.all().delete()
        Revision.objects.all().delete()
        RoleLevel.objects.all().delete()
        Skill.objects.all().delete()
        Role.objects.all().delete()
        from skills.models import SkillGroup

        SkillGroup.objects.all().delete()
        Domain.objects.all().delete()
        Level.objects.all().delete()
        run_import(path)
        assert matrix_export() == first
        # …and importing the export over the matrix changes nothing.
        assert "Nothing to change" in run_import(path)

    def test_json_export_to_stdout(self, tmp_path):
        run_import(write(tmp_path, small_matrix()))
        out = StringIO()
        call_command("export_matrix", format="json", stdout=out)
        document = json.loads(out.getvalue())
        skill = document["domains"][0]["groups"][0]["skills"][0]
        assert skill["slug"] == "api-design"
        assert skill["expectations"][1] == {
            "role": "dev",
            "level": "senior",
            "necessity": "required",
            "description": "Designs APIs.",
        }
