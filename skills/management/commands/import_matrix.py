import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.importer import MatrixFileError, load_matrix_files
from skills.services import matrix_import


class Command(BaseCommand):
    help = (
        "Import a skill matrix from YAML or JSON files (see docs/matrix-format.md). "
        "Several files are merged first. All or nothing: a bad file changes nothing and the "
        "error names the file, the entry and the field. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="matrix files (.yaml/.yml/.json)")
        parser.add_argument(
            "--check", action="store_true", help="only read and check the files; change nothing"
        )

    def handle(self, *args, files, check, verbosity, **options):
        started = time.perf_counter()
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        try:
            document = load_matrix_files(files)
        except MatrixFileError as exc:
            raise CommandError(str(exc)) from None
        skills = sum(len(g["skills"]) for d in document["domains"] for g in d["groups"])
        if check:
            self.stdout.write(self.style.SUCCESS(f"OK: {len(files)} file(s), {skills} skills."))
            return

        def progress(done, total):
            if verbosity >= 1 and total >= 1000:
                self.stdout.write(f"  skills: {done}/{total} ({100 * done // total}%)")

        result = matrix_import(document=document, progress=progress)
        if verbosity >= 1:
            for kind, tally in result.tallies.items():
                self.stdout.write(f"{kind:>14}: {tally}")
            elapsed = time.perf_counter() - started
            message = "Imported" if result.changed else "Nothing to change"
            self.stdout.write(self.style.SUCCESS(f"{message} ({skills} skills, {elapsed:.1f} s)."))
