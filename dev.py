#!/usr/bin/env python3
"""Set up and run SkillMatrix from a fresh checkout, with nothing but Python 3.11+.

    python3 dev.py serve   # .venv + dependencies + SQLite database + demo data, then the site
    python3 dev.py test    # .venv + dependencies (with test tools), then the whole test suite
    python3 dev.py messages  # refresh every Chinese catalogue (.po) and compile them (.mo)

Extra arguments after `test` go to pytest (`python3 dev.py test -k search -x`).
The virtual environment is rebuilt only when pyproject.toml changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
DEMO_DATA = ROOT / "data" / "demo"


def requirements(*, dev: bool) -> list[str]:
    import tomllib  # here, so that an older Python gets the clear message of ensure_venv

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    if dev:
        reqs += project["optional-dependencies"]["dev"]
    return reqs


def ensure_venv(*, dev: bool) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on any python3
        sys.exit("SkillMatrix needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    reqs = requirements(dev=dev)
    stamp = VENV / ("deps-dev.sha256" if dev else "deps.sha256")
    digest = hashlib.sha256("\n".join(reqs).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installing dependencies ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", *reqs], check=True)
    stamp.write_text(digest)


def manage(*args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(PYTHON), str(ROOT / "manage.py"), *args], check=True, cwd=ROOT, env=env)


def serve(args: list[str]) -> None:
    ensure_venv(dev=False)
    manage("migrate", "--no-input", "-v", "0")
    manage("import_matrix", *sorted(str(p) for p in DEMO_DATA.glob("*.yaml")))
    address = args[0] if args else "127.0.0.1:8000"
    print(f"SkillMatrix is at http://{address}/ (Ctrl-C stops it)", flush=True)
    manage("runserver", address)


def test(args: list[str]) -> int:
    ensure_venv(dev=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "skillmatrix.settings.test"}
    return subprocess.run([str(PYTHON), "-m", "pytest", *args], cwd=ROOT, env=env).returncode


#: Apps with a catalogue of their own; the project catalogue (locale/) covers the rest.
APP_CATALOGUES = ["accounts", "proposals", "growth", "skillmatrix/api"]


def messages(args: list[str]) -> int:
    """Extract translatable strings into each catalogue and compile them (needs GNU gettext)."""
    ensure_venv(dev=True)
    # django-admin, not `python -m django`: inside an app folder the app's own modules
    # (selectors.py, …) would shadow the standard library's.
    django_admin = [str(BIN / ("django-admin.exe" if os.name == "nt" else "django-admin"))]
    ignore = ["--ignore", ".venv/*", "--ignore", "tests/*", "--ignore", "bench/*"]
    apps = [app for app in APP_CATALOGUES if (ROOT / app / "locale").exists()]
    for app in apps:
        ignore += ["--ignore", f"{app}/*"]
    # django-admin does not put the working folder on the path: name the project's root.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "skillmatrix.settings.test",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    run = subprocess.run
    run(
        [*django_admin, "makemessages", "-l", "zh_Hans", *ignore, "--ignore", "dev.py"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    for app in apps:
        run([*django_admin, "makemessages", "-l", "zh_Hans"], cwd=ROOT / app, env=env, check=True)
    run([*django_admin, "compilemessages", "--ignore", ".venv/*"], cwd=ROOT, env=env, check=True)
    print("Catalogues refreshed: translate the new msgids (msgattrib --untranslated shows them).")
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test", "messages"}:
        print(__doc__)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    if command == "serve":
        with contextlib.suppress(KeyboardInterrupt):
            serve(args)
        return 0
    if command == "messages":
        return messages(args)
    return test(args)


if __name__ == "__main__":
    sys.exit(main())
