"""Scores in plain words: answers, levels, completeness and why a dimension is where it is.

Plain text (no HTML): the app, the report, the CLI and the workshop all word a result
the same way through these functions, and escape what they return.
"""

from __future__ import annotations

from mlops_workbook.model.schema import Framework
from mlops_workbook.scoring.scorecard import Completeness, DimensionScore, OneAway, ScoreCard, level_label

#: What the app and the reports show for an ``na`` answer that came without a reason.
NO_REASON = "no reason given"


def describe_answer(framework: Framework, value: int | str | None) -> str:
    """``3`` -> ``3 Largely in place``; ``'na'`` -> ``Not applicable``."""
    label = framework.scale.label(value if value is not None else "")
    return f"{value} {label}" if isinstance(value, int) else label


def rule_sentence(framework: Framework) -> str:
    """The gated rule in one sentence, with this bank's threshold."""
    met = framework.scale.label(framework.met_threshold).lower()
    return (
        f"A dimension reaches a level when every applicable question at that level and below is answered "
        f"'{met}' ({framework.met_threshold}) or better; a level where the model states nothing for the dimension "
        "is reached with the level below it, and the score adds partial progress on the next level with statements."
    )


def completeness_words(c: Completeness, *, provisional: bool = False) -> str:
    """``7 of 8 answered (88%) · 2 N/A · provisional``."""
    words = f"{c.answered} of {c.applicable} answered ({c.share:.0%})"
    if c.na:
        words += f" · {c.na} N/A"
    return words + (" · provisional" if provisional else "")


def provisional_words(framework: Framework, c: Completeness, name: str = "") -> str:
    """Why a level is marked provisional."""
    where = f" of {name}" if name else ""
    return (
        f"Provisional: only {c.answered} of {c.applicable} applicable questions{where} have a 0-4 answer "
        f"({c.share:.0%}, below {framework.provisional_below:.0%}); answer the rest before relying on this level."
    )


def overall_provisional_words(framework: Framework, card: ScoreCard) -> str:
    """Why the overall level is provisional: too few answers overall, or in some dimension (empty if it is not)."""
    o = card.overall
    if o is None or not o.provisional:
        return ""
    if o.completeness.share < framework.provisional_below:
        return provisional_words(framework, o.completeness)
    return " ".join(provisional_words(framework, d.completeness, d.name) for d in card.dimensions if d.provisional)


def one_away_words(framework: Framework, o: OneAway, *, overall: bool = False) -> str:
    """``One question away: meeting … would lift the overall level from … to …``."""
    what = "the overall level" if overall else o.dimension_name
    return (
        f"One question away: meeting {o.question.id} ({o.dimension_name}; now "
        f"{describe_answer(framework, o.result.value)}) would lift {what} from {level_label(framework, o.from_rank)} "
        f"to {level_label(framework, o.to_rank)}. {o.question.text}"
    )


def explain_dimension(framework: Framework, d: DimensionScore) -> str:
    """ "Why this level", in a few plain sentences."""
    threshold_label = framework.scale.label(framework.met_threshold).lower()
    if not d.assessed:
        return f"{d.name}: not assessed (every question is unanswered or not applicable)."
    assert d.rank is not None and d.score is not None
    if framework.scoring.rule != "gated_levels":  # sections counted as a whole: no level gates to explain
        return _explain_section(framework, d)
    sentences = [f"{d.name} is at {level_label(framework, d.rank)}"]
    if d.rank == 0:
        sentences[0] += " (the baseline)."
    else:
        sentences[0] += f": every applicable question up to it is answered '{threshold_label}' or better."
        if not d.levels[d.rank].questions:
            name = framework.level_at(d.rank).name
            sentences.append(
                f"The model adds nothing for {d.name} at {name}, so it is reached as soon as the level below is."
            )
    if d.blockers:
        next_label = level_label(framework, d.blockers[0].rank)
        listed = "; ".join(f"{b.id} ({describe_answer(framework, b.value)})" for b in d.blockers)
        count = len(d.blockers)
        sentences.append(f"{next_label} is blocked by {count} question{'s' if count > 1 else ''}: {listed}.")
        sentences.append(f"Score {d.score:.2f} = {d.rank} + progress on {framework.level_at(d.rank + 1).name}.")
    else:
        sentences.append("This is the top level of the model.")
    if d.completeness.na:
        sentences.append(f"{d.completeness.na} N/A.")
    if d.provisional:
        sentences.append(provisional_words(framework, d.completeness))
    if d.one_away:
        sentences.append(one_away_words(framework, d.one_away))
    return " ".join(sentences)


def overall_words(framework: Framework, card: ScoreCard) -> str:
    """What the overall level and the average of dimension scores rest on (follows the overall label)."""
    o = card.overall
    if o is None:
        return "Not assessed yet: no question has an answer that counts."
    if card.outcome is not None:  # a rule declared as data: its own "why" says what decided it
        return (f"{completeness_words(o.completeness)}. " + overall_provisional_words(framework, card)).strip()
    assessed = [d for d in card.dimensions if d.assessed]
    weakest = [card.dimension(i).name for i in o.weakest]
    text = (
        "Every assessed dimension has reached the top level. "
        if o.rank == card.top_rank
        else f"The overall level is set by the weakest dimension{'s' if len(weakest) > 1 else ''}: "
        f"{', '.join(weakest)}. "
    )
    text += (
        f"The average of dimension scores is {o.score:.2f} of {card.top_rank} over {len(assessed)} assessed "
        f"dimension{'s' if len(assessed) != 1 else ''}. {completeness_words(o.completeness)}."
    )
    return (text + " " + overall_provisional_words(framework, card)).strip()


def _explain_section(framework: Framework, d: DimensionScore) -> str:
    """A section of a bank scored by points or "all of": what is answered and which items fall short."""
    c = d.completeness
    sentences = [f"{d.name}: {c.answered} of {c.applicable} applicable items answered."]
    if d.blockers:
        listed = "; ".join(f"{b.id} ({describe_answer(framework, b.value)})" for b in d.blockers)
        sentences.append(f"Not yet fully met: {listed}.")
    else:
        sentences.append("Every answered item is fully met.")
    sentences.append("The result above says how the sections make the overall result.")
    if c.na:
        sentences.append(f"{c.na} N/A.")
    if d.provisional:
        sentences.append(provisional_words(framework, c))
    return " ".join(sentences)
