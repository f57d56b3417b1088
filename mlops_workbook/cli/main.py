"""The ``mlops-workbook`` command line. Exit codes: 0 ok, 1 invalid input, 2 usage.

Output cut short by its reader (``mlops-workbook score … | head -1``) ends the command
quietly with 141, as a command killed by SIGPIPE does.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from mlops_workbook.charts.theme import use_workbook_theme
from mlops_workbook.model.assessment import new_assessment, save_assessment
from mlops_workbook.model.checked import load_checked
from mlops_workbook.model.errors import Problem, WorkbookError, display_name
from mlops_workbook.model.frameworks import check_framework, list_frameworks, load_framework, summary
from mlops_workbook.model.paths import expand_paths
from mlops_workbook.scoring.explanations import completeness_words, one_away_words, overall_provisional_words
from mlops_workbook.scoring.rules import ScoreCard, describe_answer, level_label, score_assessment

#: Modules that add their own sub-commands through a ``register(subparsers)`` function.
COMMAND_MODULES = (
    "mlops_workbook.reports.command",
    "mlops_workbook.cli.workshop",
    "mlops_workbook.cli.core",
    "mlops_workbook.cli.roadmap",
)

Command = Callable[[argparse.Namespace], int]


def add_blank_file_options(parser: argparse.ArgumentParser) -> None:
    """The options of a command that writes a blank file: where, whose, and ``--force``."""
    parser.add_argument("-o", "--output", required=True, help="the JSON file to write")
    parser.add_argument("--organisation", default="")
    parser.add_argument("--team", default="")
    parser.add_argument("--respondent", default="")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def refuse_overwrite(out: Path, force: bool) -> bool:
    """True, saying so on stderr, when ``out`` exists and ``--force`` was not given."""
    if out.exists() and not force:
        print(f"{display_name(out)}: already exists -> choose another name or pass --force", file=sys.stderr)
        return True
    return False


def print_problems(problems: Iterable[Problem]) -> None:
    """Every problem on stderr, one a line (``file: where: what -> fix``); every command reports so."""
    for problem in problems:
        print(problem, file=sys.stderr)


def cmd_frameworks(args: argparse.Namespace) -> int:
    banks = list_frameworks()
    if args.json:
        print(json.dumps([summary(fw) for fw in banks], indent=2))
        return 0
    for fw in banks:
        levels = " / ".join(lv.name for lv in fw.levels_by_rank)
        print(f"{fw.id:<8} {fw.name} (bank {fw.version}, {len(fw.questions)} questions)")
        print(f"{'':<8} levels: {levels}")
        print(f"{'':<8} dimensions: {', '.join(d.name for d in fw.dimensions)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    fw = load_framework(args.framework)
    if args.json:
        print(json.dumps(fw.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return 0
    print(f"{fw.name} — bank {fw.version}\n")
    print("Levels:")
    for lv in fw.levels_by_rank:
        print(f"  {lv.rank}  {lv.id:<12} {lv.name}: {lv.summary}")
    print("\nDimensions:")
    for d in fw.dimensions:
        print(f"  {d.id:<24} {d.name}")
    print("\nQuestions:")
    for d in fw.dimensions:
        for q in fw.questions_for(d.id):
            print(f"  {q.id:<44} {q.level:<12} {q.dimension:<24} {q.text}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    fw = load_framework(args.framework)
    out = Path(args.output)
    if refuse_overwrite(out, args.force):
        return 1
    assessment = new_assessment(fw, organisation=args.organisation, team=args.team, respondent=args.respondent)
    save_assessment(assessment, out)
    print(f"wrote {display_name(out)}: a blank {fw.short_name} assessment with {len(fw.questions)} questions")
    return 0


def validate_file(path: Path) -> list[Problem]:
    """Every problem of one bank (``.yaml``) or assessment (``.json``) file."""
    if path.suffix in (".yaml", ".yml"):
        return check_framework(path)[1]
    try:
        return load_checked(path, raise_errors=False).problems
    except WorkbookError as exc:
        return exc.problems


def cmd_validate(args: argparse.Namespace) -> int:
    paths = expand_paths(args.files, (".json", ".yaml", ".yml"))
    errors = warnings = 0
    bad: list[str] = []
    for path in paths:
        problems = validate_file(path)
        print_problems(problems)
        file_errors = sum(p.severity == "error" for p in problems)
        errors += file_errors
        warnings += len(problems) - file_errors
        if file_errors:
            bad.append(display_name(path))
        else:
            print(f"ok  {display_name(path)}")
    print(f"{len(paths)} file(s): {errors} error(s), {warnings} warning(s)")
    if bad:
        print(f"{len(bad)} file(s) with errors: {', '.join(bad)}", file=sys.stderr)
    return 1 if errors else 0


def _format_scorecard(card: ScoreCard, fw_name: str, title: str) -> str:
    framework = load_framework(card.framework_id)
    top = card.top_rank
    lines = [title, f"  framework: {fw_name} (bank {card.framework_version}); levels 0 (baseline) to {top}"]
    width = max(len(name) for name in ["dimension", "OVERALL", *(d.name for d in card.dimensions)])
    lw = max(len(level_label(framework, lv.rank)) for lv in framework.levels) + 2
    counts = [d.completeness for d in card.dimensions] + ([card.overall.completeness] if card.overall else [])
    aw = max(len(completeness_words(c)) for c in counts)
    lines.append(f"  {'dimension':<{width}}  {'level':<{lw}} {'score':>5}  {'answered':<{aw}}  blocked by")
    for d in card.dimensions:
        if not d.assessed or d.rank is None or d.score is None:
            lines.append(f"  {d.name:<{width}}  {'not assessed':<{lw}} {'-':>5}  {completeness_words(d.completeness)}")
            continue
        level = level_label(framework, d.rank) + (" *" if d.provisional else "")
        blockers = ", ".join(f"{b.id} ({describe_answer(framework, b.value)})" for b in d.blockers) or "-"
        done = completeness_words(d.completeness)
        lines.append(f"  {d.name:<{width}}  {level:<{lw}} {d.score:5.2f}  {done:<{aw}}  {blockers}")
    if card.overall:
        o = card.overall
        level = level_label(framework, o.rank) + (" *" if o.provisional else "")
        lines.append(
            f"  {'OVERALL':<{width}}  {level:<{lw}} {o.score:5.2f}  {completeness_words(o.completeness):<{aw}}  "
            + (
                f"({card.outcome.value_text})"
                if card.outcome
                else "(level: weakest dimension; score: average of dimension scores)"
            )
        )
        if card.outcome:  # a rule declared as data says its own result and why
            lines += [f"  rule: {card.outcome.rule_text}", f"  why: {card.outcome.why}"]
        if o.provisional:
            lines.append(f"  * {overall_provisional_words(framework, card)}")
        away = [o.one_away] if o.one_away else [d.one_away for d in card.dimensions if d.one_away]
        for one in away:
            lines.append(f"  >> {one_away_words(framework, one, overall=bool(o.one_away))}")
    else:
        lines.append("  OVERALL: not assessed yet")
    if card.gap:
        lines.append(f"  gap to target: {len(card.gap)} question(s); first: {card.gap[0].question.next_step}")
    if card.unknown_question_ids:
        lines.append(f"  kept but not scored (unknown ids): {', '.join(card.unknown_question_ids)}")
    return "\n".join(lines)


def cmd_score(args: argparse.Namespace) -> int:
    results = []
    failed = False
    for path in expand_paths(args.files):
        try:
            checked = load_checked(path, raise_errors=False)
        except WorkbookError as exc:
            print_problems(exc.problems)
            failed = True
            continue
        print_problems(checked.problems)
        if checked.errors:
            failed = True
            continue
        assessment, framework = checked.assessment, checked.framework
        card = score_assessment(framework, assessment)
        if args.json:
            results.append({"file": display_name(path), **card.to_dict()})
        else:
            who = " / ".join(x for x in (assessment.organisation, assessment.team, assessment.respondent) if x)
            print(_format_scorecard(card, framework.name, f"{display_name(path)}  {who}") + "\n")
    if args.json:
        print(
            json.dumps(
                results[0]
                if len(results) == 1 and len(args.files) == 1 and not Path(args.files[0]).is_dir()
                else results,
                indent=2,
            )
        )
    return 1 if failed else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from mlops_workbook.model.paths import SCHEMA_DIR
    from mlops_workbook.model.schema import export_schemas

    for path in export_schemas(Path(args.output) if args.output else SCHEMA_DIR):
        print(f"wrote {display_name(path)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mlops-workbook",
        description="Assess MLOps maturity against the AWS, Google Cloud and Azure models.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("frameworks", help="list the question banks")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_frameworks)

    p = sub.add_parser("show", help="print a bank's levels, dimensions and questions")
    p.add_argument("framework", help="framework id (aws, gcp, azure) or a bank file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("new", help="write a blank assessment")
    p.add_argument("framework")
    add_blank_file_options(p)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("validate", help="check banks (.yaml) and assessments (.json); all problems at once")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("score", help="score assessments: level and score per dimension and overall")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("schema", help="export the JSON Schemas of banks and assessments")
    p.add_argument("-o", "--output", help="folder (default data/schema)")
    p.set_defaults(func=cmd_schema)

    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    use_workbook_theme()  # charts drawn here (the report index) look as in the app
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Command = args.func
    try:
        code = func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`| head`): stop quietly; nothing more can be written.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except WorkbookError as exc:
        print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so in one line, traceback on request
        if os.environ.get("MLOPS_WORKBOOK_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set MLOPS_WORKBOOK_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
