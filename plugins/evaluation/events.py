"""The evaluation plugin's audit events: one per decision, per file or per run."""

from __future__ import annotations

from dataclasses import dataclass

from civic.audit import Event
from civic.i18n import N_


@dataclass
class FrameworkImported(Event):
    type = "evaluation.framework_imported"
    TITLE = N_("Evaluation framework imported")
    framework: int
    key: str
    sha256: str

    def subject(self) -> str:
        return f"evaluation-framework:{self.framework}"


@dataclass
class EvaluationCreated(Event):
    type = "evaluation.created"
    TITLE = N_("Evaluation created")
    evaluation: int
    framework: int
    year: int
    edition: str
    rounding: str

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class DataImported(Event):
    type = "evaluation.data_imported"
    TITLE = N_("Evaluation data imported")
    evaluation: int
    file: str
    sha256: str
    units: int
    values: int
    gates: int

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class SurveyImported(Event):
    type = "evaluation.survey_imported"
    TITLE = N_("Opinion survey imported")
    evaluation: int
    file: str
    sha256: str
    respondents: int
    units: int

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class EvaluationRun(Event):
    type = "evaluation.run"
    TITLE = N_("Evaluation scored")
    evaluation: int
    run: int
    sha256: str
    scored: int
    not_scored: int
    panel: list[int]  # other years whose values fixed the scale

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class Concluded(Event):
    type = "evaluation.concluded"
    TITLE = N_("Committee conclusion recorded")
    evaluation: int
    unit: str
    run: int
    grade: str
    reason: str

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class Certified(Event):
    type = "evaluation.certified"
    TITLE = N_("Evaluation results certified")
    evaluation: int
    run: int
    grades: int

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class FormsImported(Event):
    type = "evaluation.forms_imported"
    TITLE = N_("Rating forms imported")
    evaluation: int
    file: str
    sha256: str
    forms: int
    invalid: int

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


@dataclass
class FormKeyed(Event):
    type = "evaluation.form_keyed"
    TITLE = N_("Rating form keyed")
    evaluation: int
    form: int
    category: str
    invalid: int  # sections the pack's rules void (core's count voids them)

    def subject(self) -> str:
        return f"evaluation:{self.evaluation}"


EVENTS = (FrameworkImported, EvaluationCreated, DataImported, SurveyImported, EvaluationRun,
          Concluded, Certified, FormsImported, FormKeyed)
