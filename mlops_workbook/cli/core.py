"""``mlops-workbook core …``: list the core items, write a blank core answer file, derive every model.

``derive`` writes ``DIR/<framework>/<team>--<respondent>.json`` (the app's layout, so
``score DIR`` and ``report DIR`` read the results). When that file exists and is the same
person's, its answers given in the model's own wording are kept (they win over derived
ones); a file that belongs to someone else is never written. Exit codes: 0 ok, 1 invalid
input, 2 usage.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

from mlops_workbook.cli.main import add_blank_file_options, refuse_overwrite
from mlops_workbook.model.assessment import find_assessment, rewrite_own
from mlops_workbook.model.core import CoreAnswers, load_core_answers, load_core_bundle
from mlops_workbook.model.errors import display_name
from mlops_workbook.model.files import write_atomic
from mlops_workbook.model.schema import Answer
from mlops_workbook.scoring.derive import derive_assessment
from mlops_workbook.scoring.rules import level_label, score_assessment


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``core`` and its sub-commands to the main parser."""
    parser = subparsers.add_parser("core", help="answer once: the core questionnaire, derived into every model")
    sub = parser.add_subparsers(dest="core_command", required=True, metavar="SUBCOMMAND")

    p = sub.add_parser("items", help="list the core items")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_items)

    p = sub.add_parser("template", help="write a blank core answer file")
    add_blank_file_options(p)
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("derive", help="derive an assessment of every model from core answers")
    p.add_argument("answers", metavar="CORE_ANSWERS", help="a core answer file (.json)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="assessments folder")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.set_defaults(func=cmd_derive)


def cmd_items(args: argparse.Namespace) -> int:
    core = load_core_bundle().core
    if args.json:
        print(json.dumps([item.model_dump(mode="json") for item in core.items], indent=2, ensure_ascii=False))
        return 0
    print(f"{core.name} — {core.version}, {len(core.items)} items\n")
    for item in core.items:
        print(f"  {item.id:<32} {item.theme:<20} {item.title}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    bundle = load_core_bundle()
    out = Path(args.output)
    if refuse_overwrite(out, args.force):
        return 1
    blank = CoreAnswers(
        core_version=bundle.core.version,
        organisation=args.organisation,
        team=args.team,
        respondent=args.respondent,
        answers={item_id: Answer() for item_id in bundle.core.item_ids},
    )
    write_atomic(out, json.dumps(blank.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {display_name(out)}: {len(bundle.core.items)} core items to answer (0-4, na, unknown)")
    return 0


def cmd_derive(args: argparse.Namespace) -> int:
    bundle = load_core_bundle()
    answers, warnings = load_core_answers(args.answers, bundle)
    for warning in warnings:
        print(warning, file=sys.stderr)
    report = []
    for framework_id, framework in bundle.frameworks.items():
        # into the person's file, keeping their own-wording answers; someone else's file is refused
        path = find_assessment(Path(args.output), framework_id, answers.team, answers.respondent)
        derive = functools.partial(derive_assessment, bundle, framework_id, answers)
        derived = rewrite_own(path, framework_id, answers.team, answers.respondent, derive)
        from_core = sum(bool(a.derived_from) for a in derived.answers.values())
        own = sum(a.value is not None and not a.derived_from for a in derived.answers.values())
        card = score_assessment(framework, derived)
        label = level_label(framework, card.overall.rank) if card.overall else "not assessed"
        report.append(
            {
                "framework": framework_id,
                "file": display_name(path),
                "questions": len(framework.questions),
                "derived": from_core,
                "own_wording": own,
                "overall": label,
            }
        )
        if not args.json:
            kept = f"; {own} in {framework.short_name}'s own wording kept" if own else ""
            print(
                f"wrote {display_name(path)}: {from_core} of {len(framework.questions)} answers from core items"
                f"{kept}; overall {label}"
            )
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0
