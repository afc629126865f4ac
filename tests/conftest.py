from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from skills.models import Level
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILES = sorted((ROOT / "data" / "demo").glob("*.yaml"))
LADDER = [
    ("junior", "Junior"),
    ("middle", "Middle"),
    ("senior", "Senior"),
    ("lead", "Lead"),
    ("principal", "Principal"),
]


@pytest.fixture
def levels(db):
    """The usual five-step ladder, Junior (rank 1) to Principal (rank 5)."""
    return [
        Level.objects.create(slug=slug, name=name, rank=rank)
        for rank, (slug, name) in enumerate(LADDER, start=1)
    ]


@pytest.fixture
def demo_matrix(db):
    """The demo data set, as the README's run command loads it."""
    call_command("import_matrix", *map(str, DEMO_FILES), verbosity=0)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://…; CI does)")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: generations restart with every test database."""
    from django.core.cache import cache

    cache.clear()
