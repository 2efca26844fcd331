"""Validates FHIR R5 JSON files with fhir.resources (see scripts/fhir-validate).

Each file holds one resource; a Bundle's entries are validated on their own
too, by their resourceType, so that an entry's error names its type. Prints
one line per document and exits 1 if any is invalid, 2 if a file cannot be
read.
"""

import json
import sys

from fhir.resources import get_fhir_model_class
from fhir.resources import __fhir_version__ as version


def validate(doc, where):
    kind = doc.get("resourceType")
    if not kind:
        return [f"{where}: no resourceType"]
    try:
        get_fhir_model_class(kind).model_validate(doc)
    except Exception as e:  # pydantic's ValidationError, or an unknown type
        return [f"{where}: {kind}: {e}"]
    errors = []
    for i, entry in enumerate(doc.get("entry", []) if kind == "Bundle" else []):
        errors += validate(entry.get("resource", {}), f"{where} entry[{i}]")
    return errors


def main(paths):
    if not version.startswith("5."):
        print(f"fhir.resources models FHIR {version}, not R5", file=sys.stderr)
        return 3
    failed = False
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: unreadable: {e}", file=sys.stderr)
            return 2
        errors = validate(doc, path)
        for e in errors:
            print(e)
        failed = failed or bool(errors)
        if not errors:
            print(f"{path}: valid {doc['resourceType']}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
