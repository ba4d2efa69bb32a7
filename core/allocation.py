"""Serial dictatorship (按排序先后选岗): officers choose posts one by one in rank order.

Military-transfer placement (军转干部安置) lets each officer, in the order the ranking sets,
take the first post on their list that still has a seat and that they are eligible for. The
mechanism is strategy-proof and Pareto efficient, which is why an officer who lost out can be
shown exactly who chose before them.

Two modes give the same result for the same true preferences: sealed lists resolved at once
(`serial_dictatorship`) and a live room where officers are called in turn (`LiveSession`).
Pure: no database, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Generic, TypeVar

from civic.errors import CivicError
from civic.i18n import _

O = TypeVar("O", bound=Hashable)  # noqa: E741 - officer
P = TypeVar("P", bound=Hashable)  # post

# officer -> (post or None, choice number on their list (1 = first) or None)
Result = dict[O, tuple[P | None, int | None]]


def _start(
    order: Sequence[O], capacity: Mapping[P, int], preassigned: Mapping[O, P] | None
) -> tuple[dict[P, int], dict[O, P]]:
    """Check the inputs and take the pre-assigned seats (logged overrides) before the run."""
    if len(set(order)) != len(order):
        raise CivicError(_("An officer appears twice in the choosing order."))
    remaining = {}
    for post, seats in capacity.items():
        if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
            raise CivicError(
                _("Post {post} has an invalid capacity {n}.").format(post=post, n=seats)
            )
        remaining[post] = seats
    taken = dict(preassigned or {})
    for officer, post in taken.items():
        if post not in remaining:
            raise CivicError(
                _("Pre-assignment of {officer} names unknown post {post}.").format(
                    officer=officer, post=post
                )
            )
        if remaining[post] == 0:
            raise CivicError(
                _("Pre-assignments exceed the capacity of post {post}.").format(post=post)
            )
        remaining[post] -= 1
    return remaining, taken


def serial_dictatorship(
    order: Sequence[O],
    prefs: Mapping[O, Sequence[P]],
    capacity: Mapping[P, int],
    acceptable: Callable[[O, P], bool] | None = None,
    preassigned: Mapping[O, P] | None = None,
) -> Result[O, P]:
    """Sealed mode. Each officer in `order` takes the first post on their list with a seat
    left and (if `acceptable` is given) that they are eligible for; with none they stay
    unplaced, never forced. Posts missing from `capacity` count as having no seat.

    Returns officer -> (post, choice) with choice 1 for the first on the list; unplaced is
    (None, None); a pre-assigned officer gets their post and its place on their list if any.
    """
    remaining, taken = _start(order, capacity, preassigned)
    result: dict = {}
    for officer, post in taken.items():
        mine = list(prefs.get(officer, ()))
        result[officer] = (post, mine.index(post) + 1 if post in mine else None)
    # The hot loop: locals only, and no call per step when there is no eligibility check.
    get = remaining.get
    pget = prefs.get
    unplaced = (None, None)
    empty = ()
    if acceptable is None:
        for officer in order:
            if officer in taken:
                continue
            for n, post in enumerate(pget(officer, empty), 1):
                left = get(post, 0)
                if left > 0:
                    remaining[post] = left - 1
                    result[officer] = (post, n)
                    break
            else:
                result[officer] = unplaced
    else:
        for officer in order:
            if officer in taken:
                continue
            for n, post in enumerate(pget(officer, empty), 1):
                left = get(post, 0)
                if left > 0 and acceptable(officer, post):
                    remaining[post] = left - 1
                    result[officer] = (post, n)
                    break
            else:
                result[officer] = unplaced
    return result


def posts_only(result: Mapping[O, tuple[P | None, int | None]]) -> dict[O, P | None]:
    """officer -> post, dropping choice numbers (the form `LiveSession.result` returns)."""
    return {officer: post for officer, (post, _n) in result.items()}


class LiveSession(Generic[O, P]):
    """Live mode: the room calls officers in rank order and each picks from what is open.

    Preference lists are not needed; each officer says a post, or passes when no open post
    is acceptable to them (they stay unplaced, never forced).
    """

    def __init__(
        self,
        order: Sequence[O],
        capacity: Mapping[P, int],
        acceptable: Callable[[O, P], bool] | None = None,
        preassigned: Mapping[O, P] | None = None,
    ):
        self._remaining, self._taken = _start(order, capacity, preassigned)
        self._queue = [o for o in order if o not in self._taken]
        self._acceptable = acceptable
        self._chosen: list[tuple[O, P | None]] = []

    @property
    def done(self) -> bool:
        return len(self._chosen) == len(self._queue)

    @property
    def history(self) -> list[tuple[O, P | None]]:
        """(officer, post or None) in the order they chose, for the room's screen."""
        return list(self._chosen)

    def current(self) -> O | None:
        """The officer now choosing, or None when everyone has chosen."""
        return None if self.done else self._queue[len(self._chosen)]

    def remaining(self) -> dict[P, int]:
        return dict(self._remaining)

    def open_posts(self) -> list[P]:
        """Posts with a seat left that the current officer may take, in capacity order."""
        officer = self.current()
        ok = self._acceptable
        return [
            p
            for p, left in self._remaining.items()
            if left > 0 and (ok is None or officer is None or ok(officer, p))
        ]

    def choose(self, post: P) -> None:
        officer = self.current()
        if officer is None:
            raise CivicError(_("Every officer has already chosen."))
        if post not in self._remaining:
            raise CivicError(_("There is no post {post}.").format(post=post))
        if self._remaining[post] == 0:
            raise CivicError(_("Post {post} has no seat left.").format(post=post))
        if self._acceptable is not None and not self._acceptable(officer, post):
            raise CivicError(
                _("{officer} is not eligible for post {post}.").format(officer=officer, post=post)
            )
        self._remaining[post] -= 1
        self._chosen.append((officer, post))

    def pass_(self) -> None:
        """The current officer finds no open post acceptable and stays unplaced."""
        officer = self.current()
        if officer is None:
            raise CivicError(_("Every officer has already chosen."))
        self._chosen.append((officer, None))

    def undo(self) -> tuple[O, P | None]:
        """Take back the last choice (a slip in the room; the caller logs why)."""
        if not self._chosen:
            raise CivicError(_("Nothing to undo."))
        officer, post = self._chosen.pop()
        if post is not None:
            self._remaining[post] += 1
        return officer, post

    def result(self) -> dict[O, P | None]:
        """officer -> post or None so far, pre-assignments included."""
        out: dict[O, P | None] = dict(self._taken)
        out.update(self._chosen)
        return out
