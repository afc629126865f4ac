import json
import random
from pathlib import Path

from django.core.management.base import BaseCommand

LEVELS = ["junior", "middle", "senior", "lead", "principal"]
VERBS = [
    "Understands",
    "Applies",
    "Designs",
    "Optimises",
    "Defines",
    "Reviews",
    "Leads",
    "Automates",
    "Measures",
    "Documents",
    "Coordinates",
    "Shapes",
]
TOPICS = [
    "pipelines",
    "interfaces",
    "data models",
    "deployments",
    "tests",
    "dashboards",
    "services",
    "schemas",
    "workflows",
    "alerts",
    "standards",
    "budgets",
    "roadmaps",
]


def describe(rng, n, level):
    return (
        f"{rng.choice(VERBS)} {rng.choice(TOPICS)} for skill {n} at {level} level; "
        f"{rng.choice(VERBS).lower()} {rng.choice(TOPICS)} with the team."
    )


class Command(BaseCommand):
    help = (
        "Write a synthetic matrix file (JSON, import format) of any size, for benchmarks and "
        "scale tests: --skills skills spread over domains and groups, each with expectations "
        "for a few roles at every level. Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="the .json file to write")
        parser.add_argument("--skills", type=int, default=10_000, help="number of skills")
        parser.add_argument("--roles", type=int, default=20, help="number of roles")
        parser.add_argument(
            "--roles-per-skill", type=int, default=2, help="roles with expectations on each skill"
        )
        parser.add_argument("--groups-per-domain", type=int, default=10)
        parser.add_argument("--skills-per-group", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--prefix", default="synthetic", help="slug prefix of every object")

    def handle(
        self,
        *args,
        output,
        skills,
        roles,
        roles_per_skill,
        groups_per_domain,
        skills_per_group,
        seed,
        prefix,
        verbosity,
        **options,
    ):
        rng = random.Random(seed)
        levels = [
            {"slug": slug, "name": slug.title(), "rank": rank}
            for rank, slug in enumerate(LEVELS, start=1)
        ]
        role_slugs = [f"{prefix}-role-{i}" for i in range(roles)]
        role_entries = [
            {
                "slug": slug,
                "name": f"Synthetic Role {i}",
                "description": f"Role number {i}.",
                "levels": {
                    lvl: {"focus": f"Focus of role {i} at {lvl}.", "stack": rng.sample(TOPICS, 3)}
                    for lvl in LEVELS
                },
            }
            for i, slug in enumerate(role_slugs)
        ]
        domains = []
        group = None
        for n in range(skills):
            if n % (skills_per_group * groups_per_domain) == 0:
                d = len(domains)
                domains.append(
                    {
                        "slug": f"{prefix}-domain-{d}",
                        "name": f"Synthetic Domain {d}",
                        "description": "Generated.",
                        "groups": [],
                    }
                )
            if n % skills_per_group == 0:
                g = n // skills_per_group
                group = {
                    "slug": f"{prefix}-group-{g}",
                    "name": f"Synthetic Group {g}",
                    "skills": [],
                }
                domains[-1]["groups"].append(group)
            chosen = rng.sample(role_slugs, min(roles_per_skill, len(role_slugs)))
            group["skills"].append(
                {
                    "slug": f"{prefix}-skill-{n}",
                    "name": f"Synthetic Skill {n}",
                    "summary": f"Generated skill {n} about {rng.choice(TOPICS)}.",
                    "expectations": [
                        {
                            "role": role,
                            "level": lvl,
                            "necessity": "required" if rng.random() < 0.4 else "optional",
                            "description": describe(rng, n, lvl),
                        }
                        for role in chosen
                        for lvl in LEVELS
                    ],
                }
            )
            if verbosity >= 1 and skills >= 1000 and (n + 1) % (skills // 10) == 0:
                self.stderr.write(f"  generated {n + 1}/{skills} skills")
        document = {"levels": levels, "roles": role_entries, "domains": domains}
        output.write_text(json.dumps(document), encoding="utf-8")
        if verbosity >= 1:
            self.stderr.write(f"Wrote {skills} skills to {output}.")
