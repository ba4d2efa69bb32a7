"""Rule settings: office settings that carry a regulation's value, with its floor.

A rule setting is declared as data: its key, default, the range a change may take (a floor a
regulation fixes, a ceiling where one applies) and its source (regulation, edition, article).
Core declares its own here; a plugin declares its own through `register_rule_settings`.
Every change to one (`civic.notices.set_setting`, `civic notice settings set`) is checked
against the range and co-signed by a supervisor, and audited as any setting is. A value stored
below the floor (a file from before the floor, say) is read as the floor: the floor is the law.

Several editions of a regulation may fix different values (选拔任用条例 2002: 7-15 days;
2014 art. 41: at least 5 working days); a `Source` names its edition, so a later pack can
declare one setting per edition or per notice kind without changing this shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from civic.errors import CivicError
from civic.i18n import N_, _

KINDS = ("workdays", "count", "fraction")


@dataclass(frozen=True)
class Source:
    regulation: str
    edition: str
    article: str
    note: str = ""  # e.g. what the article says, or what is left to check

    def text(self) -> str:
        parts = [f"{self.regulation} ({self.edition})"]
        if self.article:
            parts.append(self.article)
        return " ".join(parts)


@dataclass(frozen=True)
class RuleSetting:
    key: str
    default: str
    kind: str  # one of KINDS: whole days/counts, or a fraction ("2/3", "0.75", "75%")
    title: str  # msgid: what it is, said for people
    source: Source
    floor: str | None = None
    ceiling: str | None = None

    def parse(self, text: str) -> int | Fraction:
        raw = str(text).strip()
        if self.kind == "fraction":
            try:
                value: int | Fraction = (Fraction(raw[:-1]) / 100 if raw.endswith("%")
                                         else Fraction(raw))
            except (ValueError, ZeroDivisionError):
                raise CivicError(_("{key} must be a fraction (2/3, 0.75 or 75%), not {text}.")
                                 .format(key=self.key, text=text)) from None
        elif raw.isdigit():
            value = int(raw)
        else:
            raise CivicError(_("{key} must be a whole number, not {text}.").format(
                key=self.key, text=text))
        return value

    def bounds(self) -> tuple[int | Fraction | None, int | Fraction | None]:
        return (self.parse(self.floor) if self.floor is not None else None,
                self.parse(self.ceiling) if self.ceiling is not None else None)

    def check(self, text: str) -> str:
        """The value as it will be stored; a CivicError naming the source if out of range."""
        value = self.parse(text)
        floor, ceiling = self.bounds()
        if floor is not None and value < floor:
            raise CivicError(_("{key} may not be below {floor} ({source}).").format(
                key=self.key, floor=self.floor, source=self.source.text()))
        if ceiling is not None and value > ceiling:
            raise CivicError(_("{key} may not be above {ceiling} ({source}).").format(
                key=self.key, ceiling=self.ceiling, source=self.source.text()))
        return str(value)

    def effective(self, stored: str | None) -> int | Fraction:
        """The value in force: the stored one (else the default), never below the floor."""
        try:
            value = self.parse(stored if stored is not None else self.default)
        except CivicError:
            value = self.parse(self.default)
        floor, _ceiling = self.bounds()
        return max(value, floor) if floor is not None else value

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "default": self.default, "kind": self.kind,
                "floor": self.floor, "ceiling": self.ceiling,
                "source": {"regulation": self.source.regulation,
                           "edition": self.source.edition, "article": self.source.article,
                           "note": self.source.note}}


# 党政领导干部选拔任用工作条例 2014 art. 41 (kept in 2019): 任前公示 at least 5 working days.
# It is also the office's minimum for any notice (civic.notices).
NOTICE_PERIOD = RuleSetting(
    key="notice.period_days", default="5", kind="workdays",
    title=N_("Notice period in working days (default and minimum)"),
    source=Source("党政领导干部选拔任用工作条例", "2014", "第四十一条",
                  "任前公示期一般不少于5个工作日"),
    floor="5")

CORE_RULE_SETTINGS: tuple[RuleSetting, ...] = (NOTICE_PERIOD,)


def rule_settings(pm: Any | None = None) -> dict[str, RuleSetting]:
    """Core's rule settings and every plugin's (`register_rule_settings`), by key."""
    found: dict[str, RuleSetting] = {}

    def register(setting: RuleSetting) -> None:
        if setting.kind not in KINDS:
            raise ValueError(f"rule setting {setting.key}: unknown kind {setting.kind!r}")
        other = found.get(setting.key)
        if other is not None and other != setting:
            raise ValueError(f"rule setting {setting.key!r} declared twice")
        setting.check(setting.default)  # a default outside its own range is a bug
        found[setting.key] = setting

    for setting in CORE_RULE_SETTINGS:
        register(setting)
    if pm is not None:
        pm.hook.register_rule_settings(register=register)
    return found


def value(db: Any, setting: RuleSetting) -> int | Fraction:
    """The office's value of a rule setting, in force (see `RuleSetting.effective`)."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", (setting.key,)).fetchone()
    return setting.effective(row[0] if row else None)

