"""Check values.yaml against the Zero to JupyterHub chart's own schema, as ``helm install`` would.

    python deploy/zero-to-jupyterhub/check_values.py PATH/TO/zero-to-jupyterhub-k8s/jupyterhub

Helm merges the given values over the chart's defaults (``values.yaml``) and validates the result against
the chart's schema; this does the same with the schema source the chart is built from
(``values.schema.yaml``). Exit 0 when valid, 1 with every problem listed otherwise.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml

VALUES = Path(__file__).with_name("values.yaml")


def merged(defaults: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Helm's merge: mappings merge key by key, anything else is replaced."""
    out = copy.deepcopy(defaults)
    for key, value in ours.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def problems(chart: Path, values: Path = VALUES) -> list[str]:
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    ours = yaml.safe_load(values.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    found = sorted(validator.iter_errors(merged(defaults, ours)), key=lambda e: list(map(str, e.path)))
    return [f"{values.name}: {'.'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in found]


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "values.schema.yaml").is_file():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    found = problems(Path(argv[0]))
    print("\n".join(found) or f"{VALUES.name}: valid against the chart's schema")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
