import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from skills.selectors import matrix_export

try:
    YamlDumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    YamlDumper = yaml.SafeDumper


class Command(BaseCommand):
    help = (
        "Export the whole matrix in the import format (docs/matrix-format.md), as YAML or "
        "JSON, to a file or to standard output. import_matrix reads it back unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", type=Path, help="file to write (default: standard output)"
        )
        parser.add_argument(
            "--format",
            choices=["yaml", "json"],
            help="output format (default: from the file's extension, else yaml)",
        )

    def handle(self, *args, output, format, verbosity, **options):
        fmt = format or ("json" if output and output.suffix.lower() == ".json" else "yaml")
        document = matrix_export()
        if fmt == "json":
            text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        else:
            text = yaml.dump(
                document, Dumper=YamlDumper, sort_keys=False, allow_unicode=True, width=100
            )
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}") from None
        if verbosity >= 1:
            skills = sum(len(g["skills"]) for d in document["domains"] for g in d["groups"])
            self.stderr.write(f"Wrote {skills} skills to {output}.")
