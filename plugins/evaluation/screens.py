"""The evaluation mode (F10): the evaluations (n creates one); Enter opens the ranking with
category bars, the quota line and the boundary ties (r scores, s draws the rank intervals, f
shows the framework's tree); Enter on a unit opens its breakdown (tree, gates, interval)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static, Tree

from civic.i18n import N_, _
from civic.plugins.evaluation import actions, rules, store
from civic.tally import ANNUAL_GRADES as ANNUAL
from civic.tui.dialogs.form import Field, FieldError, FormDialog
from civic.tui.screens.base import SubScreen
from civic.tui.screens.record_list import RecordListScreen
from civic.tui.widgets.wide_table import WideTable

CSS = """
#evaluation-quota, #evaluation-unit-head { height: auto; padding: 0 1; }
#evaluation-ranking, #evaluation-framework-tree, #evaluation-unit-tree { height: 1fr; }
"""
BLOCKS = " ▏▎▍▌▋▊▉█"
SENSITIVITY_RUNS = 500  # the screen's draw; the CLI takes --runs and --seed


def bar(value: str | float | None, width: int = 6) -> str:
    """A score 0-100 as a bar `width` cells wide, in eighths of a cell."""
    if value is None:
        return "·" * width
    eighths = round(float(value) / 100 * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (BLOCKS[part] if part else "")).ljust(width)


class EvaluationScreen(RecordListScreen):
    """The mode's screen: every evaluation with its framework, units and state."""

    SCREEN_TITLE = N_("Evaluation")
    HELP = N_("Evaluations (考核评价): each year's evaluation under its indicator framework. "
              "Enter opens its ranking; n creates an evaluation under an imported framework.")
    BINDINGS = [Binding("n", "new", N_("New evaluation"))]
    TABLE_ID = "evaluation-list"
    TABLE_TITLE = N_("Evaluations")
    COLUMNS = (N_("No."), N_("Year"), N_("Title"), N_("Framework"), N_("Units"),
               N_("Certified"))
    EMPTY = N_("no evaluations yet: n creates one")
    NEW_ACTION = "evaluation.prepare"
    NEW_TITLE = N_("New evaluation")

    def load_rows(self) -> list[dict[str, Any]]:
        return store.evaluations(self.civic.db)

    def row_cells(self, r: dict[str, Any]) -> tuple[Any, ...]:
        # The framework by its title, as its pack names it, not by its key.
        return (r["id"], r["year"], Text(r["title"]), Text(r["framework_name"]), r["units"],
                r["certified_on"] or "")

    def record_screen(self, record_id: int) -> RankingScreen:
        return RankingScreen(record_id)

    def new_fields(self) -> list[Field]:
        keys = [(f["name"], f["key"]) for f in store.frameworks(self.civic.db)]
        return [Field("framework", _("The framework's key."), keys[-1][1] if keys else "",
                      choices=keys),
                Field("year", _("The year evaluated."), str(self.civic.office.today().year)),
                Field("title", _("What is evaluated.")),
                Field("edition", _("The edition fixing the top grade's quota."), "2007",
                      choices=[(e, e) for e in rules.quota_editions()]),
                Field("rounding", _("The quota's rounding"), "half_up",
                      choices=[(_(label), code) for code, label in rules.ROUNDING.items()])]

    def create(self, values: dict[str, str]) -> int:
        if not values["year"].isdigit():
            raise FieldError("year", _("The year evaluated."))
        return actions.create(self.civic.office, values["framework"], int(values["year"]),
                              values["title"], values["edition"], values["rounding"])


class RankingScreen(SubScreen):
    """One evaluation's ranking: score, grade, a bar per category, gates, the quota line."""

    SCREEN_TITLE = N_("Evaluation ranking")
    HELP = N_("The ranking: rank (equal scores share it), score, grade, a bar per category and "
              "the gates that fired. The line above gives the top grade's quota and the units "
              "tied at its boundary, which the committee decides. r scores the evaluation from "
              "its data; s draws each unit's rank interval (5th-95th percentile over the "
              "weights, normalisation and gates); f shows the framework; c records the "
              "committee's conclusion on the highlighted unit; m shows the rating forms and "
              "surveys; d shows each unit's data completeness; Enter opens a unit.")
    DEFAULT_CSS = CSS
    PERFORMS = {"run": "evaluation.run", "conclude": "evaluation.conclude"}
    BINDINGS = [Binding("enter", "open", N_("Open")),
                Binding("r", "run", N_("Run the scoring")),
                Binding("s", "sensitivity", N_("Rank intervals")),
                Binding("c", "conclude", N_("Conclude")),
                Binding("m", "opinion", N_("Ratings and surveys")),
                Binding("d", "completeness", N_("Data completeness")),
                Binding("f", "framework", N_("Framework"))]

    def __init__(self, evaluation: int) -> None:
        super().__init__()
        self.evaluation = evaluation
        self.units: list[dict[str, Any]] = []
        self.intervals: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="evaluation-quota")
        table = WideTable(id="evaluation-ranking", classes="panel", cursor_type="row")
        yield table

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def refresh_data(self) -> None:
        db = self.civic.db
        ev = store.evaluation(db, self.evaluation)
        fw = store.framework_of(ev["content"])
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.border_title = f"{ev['title']} · {fw.name}"
        table.add_columns(_("#"), _("Unit"), _("Score"), _("Grade"),
                          *(c.name for c in fw.categories), _("Interval"), _("Gates"))
        found = store.latest_run(db, self.evaluation)
        head = self.query_one("#evaluation-quota", Static)
        if found is None:
            self.units = []
            table.border_subtitle = _("not scored yet: r scores it")
            head.update(Text(_("{count} units with data.").format(
                count=len(store.units(db, self.evaluation)))))
            return
        table.border_subtitle = ""
        data = store.grades(db, self.evaluation)
        _run, report = found
        by_unit = {u["unit"]: u for u in report["units"]}
        self.units = data["units"]
        quota = data["quota"]
        line = _("Quota of {grade}: at most {limit} ({edition} edition, {rounding}).").format(
            grade=quota["grade"], limit=quota["limit"], edition=data["edition"],
            rounding=_(rules.ROUNDING[data["rounding"]]))
        if quota["tied_at_boundary"]:
            line += "  " + _("Tied at the boundary, for the committee: {units}.").format(
                units=", ".join(quota["tied_at_boundary"]))
        head.update(Text(line))
        for u in self.units:
            cats = by_unit[u["unit"]]["categories"]
            grade = u["final"] or "-"
            if u["committee"] and u["committee"] != u["grade"]:
                grade = f"{u['grade']}→{u['committee']}"
            table.add_row(u["rank"] or "-", Text(u["name"] or u["unit"]), u["score"] or "-",
                          grade, *(bar(cats.get(c.code)) for c in fw.categories),
                          self.intervals.get(u["unit"], ""),
                          ", ".join(g["gate"] for g in u["gates"]) or
                          (_("not scored") if u["not_scored"] else ""))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if self.units and 0 <= row < len(self.units):
            unit = self.units[row]["unit"]
            self.app.push_screen(UnitScreen(self.evaluation, unit, self.intervals.get(unit)))

    def action_run(self) -> None:
        if not self.civic.require_change("evaluation.run"):
            return
        from civic.errors import CivicError

        try:
            actions.run(self.civic.office, self.evaluation)
        except CivicError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_data()

    def action_sensitivity(self) -> None:
        db = self.civic.db
        fw = store.framework_of(store.evaluation(db, self.evaluation)["content"])
        codes, values, fired = store.matrix(db, self.evaluation, fw)
        if not codes:
            return
        found, _ranks = rules.sensitivity(fw, codes, values, fired, runs=SENSITIVITY_RUNS,
                                          seed=0)
        self.intervals = {i.unit: i.label() for i in found}
        self.refresh_data()

    def action_conclude(self) -> None:
        if not self.civic.require_change("evaluation.conclude"):
            return
        row = self.query_one(DataTable).cursor_row
        if not self.units or not 0 <= row < len(self.units):
            return
        unit = self.units[row]
        fw = store.framework_of(store.evaluation(self.civic.db, self.evaluation)["content"])
        fields = [Field("grade", _("Grade"), unit["final"] or fw.grades[0],
                        choices=[(g, g) for g in fw.grades]),
                  Field("reason", _("Why the committee's grade differs."), required=False,
                        multiline=True)]
        self.push_form(_("Record the committee's conclusion on a unit; a grade other than the "
                         "score's needs a reason.") + f"  {unit['name'] or unit['unit']}",
                       fields, lambda v: actions.conclude(
                           self.civic.office, self.evaluation, unit["unit"], v["grade"],
                           v["reason"]), lambda _id: self.refresh_data())

    def action_completeness(self) -> None:
        self.app.push_screen(CompletenessScreen(self.evaluation))

    def action_opinion(self) -> None:
        self.app.push_screen(OpinionScreen(self.evaluation))

    def action_framework(self) -> None:
        ev = store.evaluation(self.civic.db, self.evaluation)
        self.app.push_screen(FrameworkScreen(store.framework_of(ev["content"])))


class FrameworkScreen(SubScreen):
    """A framework as a tree: categories and indicators with their weights, and its gates."""

    SCREEN_TITLE = N_("Evaluation framework")
    HELP = N_("The framework's tree: each category and indicator with its weight within its "
              "parent, direction, normalisation and data source (* illustrative), then the "
              "veto gates with their consequence and source.")
    DEFAULT_CSS = CSS

    def __init__(self, framework: rules.Framework) -> None:
        super().__init__()
        self.framework = framework

    def compose_body(self) -> ComposeResult:
        fw = self.framework
        tree: Tree[str] = Tree(fw.name, id="evaluation-framework-tree", classes="panel")
        tree.root.expand()
        for c in fw.categories:
            node = tree.root.add(f"{c.name}  {float(c.weight):g}%", expand=True)
            for i in c.indicators:
                arrow = "↑" if i.direction == "higher" else "↓"
                mark = " *" if i.illustrative else ""
                method = _(rules.NORMALISATION_LABELS[i.normalisation])
                node.add_leaf(f"{i.name}  {float(i.weight):g}%  {arrow} {method}"
                              f"  {i.data_source}{mark}")
        if fw.gates:
            gates = tree.root.add(_("Veto gates"), expand=True)
            for g in fw.gates:
                gates.add_leaf(f"{g.name}: {g.describe()}  ({g.source})")
        yield tree

    def refresh_data(self) -> None:
        self.query_one(Tree).focus()


class UnitScreen(SubScreen):
    """A unit's breakdown: each category and indicator's score with a bar, gates, interval."""

    SCREEN_TITLE = N_("Evaluation breakdown")
    HELP = N_("A unit's breakdown: its score, rank and grade; each category's score and each "
              "indicator's normalised score (0-100) with a bar; the gates that fired and why; "
              "its rank interval when drawn.")
    DEFAULT_CSS = CSS

    def __init__(self, evaluation: int, unit: str, interval: str | None) -> None:
        super().__init__()
        self.evaluation, self.unit, self.interval = evaluation, unit, interval

    def compose_body(self) -> ComposeResult:
        yield Static(id="evaluation-unit-head")
        yield Tree("", id="evaluation-unit-tree", classes="panel")

    def refresh_data(self) -> None:
        db = self.civic.db
        fw = store.framework_of(store.evaluation(db, self.evaluation)["content"])
        _run, report = store.require_run(db, self.evaluation)
        u = next(x for x in report["units"] if x["unit"] == self.unit)
        head = [_("{unit}: score {score}, rank {rank}, grade {grade}").format(
            unit=self.unit, score=u["score"] or "-", rank=u["rank"] or "-",
            grade=u["grade"] or "-")]
        if self.interval:
            head.append(_("Rank interval: {interval}").format(interval=self.interval))
        if u["not_scored"]:
            head.append(_("Not scored: {why}").format(why=u["not_scored"]))
        for g in u["gates"]:
            # The consequence in the operator's language, from the framework's gate.
            head.append(_("Gate {gate} fired ({reason}): {consequence}").format(
                gate=g["gate"], reason=g["reason"], consequence=fw.gate(g["gate"]).describe()))
        self.query_one("#evaluation-unit-head", Static).update(Text("\n".join(head)))
        tree = self.query_one(Tree)
        tree.clear()
        tree.root.set_label(fw.name)
        tree.root.expand()
        for c in fw.categories:
            score = u["categories"].get(c.code)
            node = tree.root.add(f"{bar(score, 10)} {score or '-':>6}  {c.name} "
                                 f"({float(c.weight):g}%)", expand=True)
            for i in c.indicators:
                value = u["indicators"].get(i.code)
                node.add_leaf(f"{bar(value, 10)} {value or '-':>6}  {i.name}")
        tree.focus()


class OpinionScreen(SubScreen):
    """The rating forms' results (民主测评) and the survey indices (民意调查) of an evaluation."""

    SCREEN_TITLE = N_("Ratings and surveys")
    HELP = N_("Democratic rating: per ratee the weighted index, the trimmed mean, the rate of "
              "each grade and the pack's flags, or why the result is withheld. Opinion "
              "surveys: respondents, the happiness, satisfaction and safety indices and their "
              "mean (0-100), which is the public-evaluation indicator.")
    DEFAULT_CSS = CSS + "#evaluation-ratings, #evaluation-surveys { height: 1fr; }"
    PERFORMS = {"key_forms": "evaluation.prepare"}
    BINDINGS = [Binding("k", "key_forms", N_("Key forms"))]

    def __init__(self, evaluation: int) -> None:
        super().__init__()
        self.evaluation = evaluation

    def action_key_forms(self) -> None:
        if not self.civic.require_change("evaluation.prepare"):
            return
        if not store.rating_round(self.civic.db, self.evaluation):
            self.notify(_("Evaluation {number} has no rating round; declare it first "
                          "(civic evaluation forms declare).").format(number=self.evaluation),
                        severity="error")
            return
        self.app.push_screen(FormKeyingScreen(self.evaluation))

    def compose_body(self) -> ComposeResult:
        ratings = WideTable(id="evaluation-ratings", classes="panel", cursor_type="row")
        ratings.border_title = _("Democratic rating")
        yield ratings
        surveys = WideTable(id="evaluation-surveys", classes="panel", cursor_type="row")
        surveys.border_title = _("Opinion surveys")
        yield surveys

    def on_mount(self) -> None:
        self.query_one("#evaluation-ratings", DataTable).add_columns(
            _("Unit"), _("Dimension"), _("Index"), _("Trimmed"), *ANNUAL, _("Flags"))
        self.query_one("#evaluation-surveys", DataTable).add_columns(
            _("Unit"), _("Respondents"), _("Index"), _("happiness"), _("satisfaction"),
            _("safety"))
        self.query_one("#evaluation-ratings", DataTable).focus()

    def refresh_data(self) -> None:
        db = self.civic.db
        ratings = self.query_one("#evaluation-ratings", DataTable)
        ratings.clear()
        invalid = 0
        waiting = ""  # why the round cannot be counted yet (a figure not recorded)
        if store.rating_round(db, self.evaluation):
            from civic.errors import CivicError

            try:
                found = store.ratings(db, self.evaluation, self.civic.pm)
            except CivicError as exc:
                missing = store.rating_categories_waiting(db, self.evaluation)
                found, waiting = {"ratees": []}, (_(
                    "not counted yet: record the raters present and the forms issued and "
                    "returned of {categories}").format(categories="、".join(missing))
                    if missing else str(exc))
            invalid = sum(f["forms"] for f in found.get("invalid", ()))
            dimensions = dict(found.get("dimensions", ()))
            for r in found["ratees"]:
                rates = r.get("rates") or {}
                ratings.add_row(Text(r["name"] or r["ratee"]),
                                Text(dimensions.get(r["dimension"], r["dimension"])),
                                r.get("index") or "-",
                                r.get("trimmed_mean") or "-",
                                *(f"{rates[g]}%" if rates.get(g) else "-" for g in ANNUAL),
                                Text(r["withheld"] or "; ".join(
                                    f["text"] for f in r.get("flags", ()))))
        ratings.border_subtitle = (waiting or _("no rating round") if not ratings.row_count else
                                   _("{count} forms void under the form's rules.").format(
                                       count=invalid) if invalid else "")
        surveys = self.query_one("#evaluation-surveys", DataTable)
        surveys.clear()
        for r in store.surveys(db, self.evaluation):
            surveys.add_row(Text(r["name"] or r["unit"]), r["respondents"], r["index"],
                            r["happiness"], r["satisfaction"], r["safety"])
        surveys.border_subtitle = "" if surveys.row_count else _("no survey")


class CompletenessScreen(SubScreen):
    """Each unit's data: indicators present of the framework's, and whether that is enough."""

    SCREEN_TITLE = N_("Data completeness")
    HELP = N_("Each unit's indicators present of the framework's, as a bar, and whether the "
              "share reaches the framework's data-availability threshold: a unit below it is "
              "not scored (reported, left out of the normalisation, the ranking and the quota "
              "base); above it a missing indicator's siblings share its weight.")
    DEFAULT_CSS = CSS + "#evaluation-completeness { height: 1fr; }"

    def __init__(self, evaluation: int) -> None:
        super().__init__()
        self.evaluation = evaluation

    def compose_body(self) -> ComposeResult:
        yield WideTable(id="evaluation-completeness", classes="panel", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("Unit"), _("Name"), _("Indicators"), "", _("Scored"))
        table.focus()

    def refresh_data(self) -> None:
        db = self.civic.db
        names = {u["unit"]: u["name"] for u in store.units(db, self.evaluation)}
        table = self.query_one(DataTable)
        table.clear()
        for r in store.completeness(db, self.evaluation):
            table.add_row(r["unit"], Text(names.get(r["unit"], "")), f"{r['present']}/{r['of']}",
                          bar(100 * r["present"] / r["of"], 10),
                          "✓" if r["scored"] else _("not scored"))


class FormKeyingScreen(SubScreen):
    """Paper rating forms (民主测评表) keyed one by one: a grade per ratee per dimension, the
    pack's validity shown as each grade is keyed, the form filed into the rating round."""

    SCREEN_TITLE = N_("Key rating forms")
    HELP = N_("Key each paper rating form as it reads: move with the arrow keys, press 1 to 4 "
              "for the grade in the highlighted cell (1 优秀, 2 称职, 3 基本称职, 4 不称职), 0 to "
              "clear it; c changes the rater category, n the form's number. Below the grid, each "
              "dimension says whether the form is valid under the pack's rules: a void one is "
              "still filed and counted as a form that grades nobody. Ctrl+S files the form "
              "and starts the next one; a form not filed is kept until you file or discard it.")
    DEFAULT_CSS = CSS + """
    #evaluation-keying-head, #evaluation-keying-validity { height: auto; padding: 0 1; }
    #evaluation-keying { height: 1fr; }
    """
    PERFORMS = {"file": "evaluation.prepare"}
    BINDINGS = [*(Binding(str(n), f"grade({n})", N_("Grade"), show=False) for n in range(5)),
                Binding("ctrl+s", "file", N_("File the form")),
                Binding("c", "category", N_("Rater category")),
                Binding("n", "number", N_("Form number"))]

    def __init__(self, evaluation: int) -> None:
        super().__init__()
        self.evaluation = evaluation
        self.form: dict[str, Any] = {}
        self.number = 1
        self.category = 0
        self.grades: dict[str, dict[str, str]] = {}  # dimension -> ratee -> grade
        self.filed: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="evaluation-keying-head")
        yield WideTable(id="evaluation-keying", classes="panel", cursor_type="cell")
        yield Static(id="evaluation-keying-validity")

    def on_mount(self) -> None:
        self.form = actions.rating_form(self.civic.db, self.evaluation)
        self.number = self.form["next"]
        table = self.query_one(DataTable)
        table.add_column(_("Ratee"))
        wide = max(cell_len(g) for g in self.form["grades"])  # a grade shows whole
        for _code, name in self.form["dimensions"]:
            table.add_column(name, width=max(wide, cell_len(name)))
        for _code, name in self.form["ratees"]:
            table.add_row(Text(name), *("·" for _d in self.form["dimensions"]))
        table.move_cursor(column=1)
        table.focus()
        self.show()

    def refresh_data(self) -> None:
        """The draft is the screen's own: data changed elsewhere does not reset it."""

    def show(self) -> None:
        code, name = self.form["categories"][self.category]
        self.query_one("#evaluation-keying-head", Static).update(Text(_(
            "Form No. {number} · rater category: {category} · {count} filed here").format(
                number=self.number, category=name, count=len(self.filed))))
        pack = self.form["pack"]
        lines = []
        for code, name in self.form["dimensions"]:
            given = [g for g in self.grades.get(code, {}).values() if g]
            problem = rules.form_problem(given, len(self.form["ratees"]), pack)
            lines.append(_("{dimension}: void ({reason})").format(dimension=name, reason=problem)
                         if problem else _("{dimension}: valid, {count} graded").format(
                             dimension=name, count=len(given)) if given else
                         _("{dimension}: not graded yet").format(dimension=name))
        self.query_one("#evaluation-keying-validity", Static).update(Text("\n".join(lines)))

    def action_grade(self, n: int) -> None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        if column == 0:
            return
        ratee = self.form["ratees"][row][0]
        dimension = self.form["dimensions"][column - 1][0]
        grade = self.form["grades"][n - 1] if 1 <= n <= len(self.form["grades"]) else ""
        self.grades.setdefault(dimension, {})[ratee] = grade
        table.update_cell_at(table.cursor_coordinate, grade or "·")
        if grade:  # keyed down the column as the paper reads, then the next dimension's
            if row + 1 < table.row_count:
                table.move_cursor(row=row + 1)
            elif column < len(self.form["dimensions"]):
                table.move_cursor(row=0, column=column + 1)
        self.show()

    def action_category(self) -> None:
        self.category = (self.category + 1) % len(self.form["categories"])
        self.show()

    def action_number(self) -> None:
        def apply(values: dict[str, str]) -> int:
            text = values["number"]
            if not (text.isdigit() and int(text) >= 1):
                raise FieldError("number", _("A form number is a whole number, 1 or more."))
            return int(text)

        def done(number: int | None) -> None:
            if number:
                self.number = number
                self.show()

        self.app.push_screen(FormDialog(_("Form number"), [
            Field("number", _("The number printed on the paper form."), str(self.number))],
            apply=apply), done)

    def action_file(self) -> None:
        self.save_work()

    def unsaved_work(self) -> str | None:
        if not any(g for d in self.grades.values() for g in d.values()):
            return None
        return _("rating form No. {number}, keyed").format(number=self.number)

    def save_work(self) -> bool:
        if not self.civic.require_change("evaluation.prepare"):
            return False
        from civic.errors import CivicError

        code = self.form["categories"][self.category][0]
        try:
            found = actions.enter_form(self.civic.office, self.evaluation, self.number, code,
                                       self.grades)
        except CivicError as exc:
            # The keyed grades stay on the screen: correct the number or category and file.
            self.notify(str(exc), severity="error")
            return False
        self.notify(_("Form {number} filed.").format(number=self.number) + "".join(
            " " + _("{dimension}: void ({reason})").format(
                dimension=f["dimension_name"], reason=f["reason"])
            for f in found["invalid_forms"]))
        self.filed.append(self.number)
        self.civic.data_changed()
        self.discard_work()
        self.number = max(self.number, *self.filed) + 1
        self.show()
        return True

    def discard_work(self) -> None:
        self.grades = {}
        table = self.query_one(DataTable)
        for row in range(table.row_count):
            for column in range(1, len(self.form["dimensions"]) + 1):
                table.update_cell_at(Coordinate(row, column), "·")
        table.move_cursor(row=0, column=1)

    def action_back(self) -> None:
        self.civic.guard_leaving(self.app.pop_screen, [self])
