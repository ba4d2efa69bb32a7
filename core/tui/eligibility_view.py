"""Eligibility problems as the operator reads them: the condition, what is required, what the
person has, and why it fails."""

from __future__ import annotations

from typing import Any

from civic.eligibility import CONDITION_LABELS, WARNING, Problem
from civic.i18n import _
from civic.tui.text import cell, education_label, rank_label, status_label, yes_no
from civic.vocabulary import label as vocabulary_label


def show_value(condition: str, value: Any) -> str:
    if condition == "min_rank":
        return rank_label(value)
    if condition == "min_education":
        return education_label(value)
    if condition == "status":
        return status_label(value)
    if condition == "party_required" and isinstance(value, bool):
        return yes_no(value)
    return cell(value)


def problem_row(problem: Problem | dict) -> tuple[str, str, str, str]:
    p = problem if isinstance(problem, dict) else problem.as_dict()
    label = CONDITION_LABELS.get(p["condition"])
    message = p["message"]
    if p.get("severity") == WARNING:  # bars nothing: said so beside the reason
        message = _("warning: {reason}").format(reason=message)
    return (_(label) if label else vocabulary_label(p["condition"]), show_value(p["condition"], p["required"]),
            show_value(p["condition"], p["actual"]), message)
