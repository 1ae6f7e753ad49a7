"""Every message the product's content builds, each with its texts at their longest or most hostile: what a
platform renderer must show within its limits."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import replace
from datetime import time, timedelta
from types import ModuleType
from zoneinfo import ZoneInfo

from bot.content import coaching, digest, follow_ups, interviews, leaving, notices, nudges, preferences, your_data
from bot.content.message import Message
from bot.domain import coaching as rules
from bot.domain.models import (
    CheckIn,
    CoachGroup,
    DigestPlan,
    Feedback,
    FollowUpKind,
    Interview,
    InterviewSummary,
    Membership,
    MembershipStatus,
    Nudge,
    Outcome,
    QuietHours,
)
from bot.platforms.slack.render import PAGER
from bot.usecases.follow_ups import FollowUpChange, OpenFollowUp
from bot.usecases.groups import ConsentRequest, GroupGone, Left, Removed
from bot.usecases.interviews import (
    CheckInLogged,
    InterviewEdited,
    InterviewPlan,
    InterviewReopened,
    NextStepsRecorded,
    OutcomeRecorded,
)
from bot.usecases.preferences import Moved, ZoneChanged
from tests.platforms.discord.builders import LONG, NOW, follow_up, interview, steps, user

HOSTILE = "<!channel> & <@U123> <!here> *bold* `code` " + "z" * 200  # what a user may type, at length
SNOOZE = timedelta(days=1)
MODULES: tuple[ModuleType, ...] = (
    coaching,
    digest,
    follow_ups,
    interviews,
    leaving,
    notices,
    nudges,
    preferences,
    your_data,
)

Built = Message | tuple[Message, ...]


def _interview(interview_id: int = 1, *, outcome: Outcome | None = None) -> Interview:
    built = replace(interview(interview_id), company=HOSTILE, interviewer=HOSTILE, contact=HOSTILE, notes=LONG)
    return replace(built, outcome=outcome, outcome_at=NOW if outcome else None, outcome_notes=LONG if outcome else None)


def _call() -> CheckIn:
    return CheckIn(1, 1, LONG, NOW + timedelta(days=3), NOW)


def _seeker(n: int = 1) -> rules.Seeker:
    return rules.Seeker(n, f"u{n}", HOSTILE, tuple(HOSTILE for _ in range(5)), NOW - timedelta(days=2), "discord")


def hostile_report(interviews_count: int) -> rules.SeekerReport:
    tracked = [
        rules.TrackedFollowUp(replace(follow_up(kind), done_at=None), state)
        for kind, state in zip(FollowUpKind, rules.FollowUpState, strict=False)
    ]
    reports = [
        rules.InterviewReport(
            _interview(i, outcome=Outcome.REJECTED if i % 2 else None),
            rules.Stage.FOLLOWING_UP,
            steps(),
            tracked,
            [_call() for _ in range(3)],
            [Feedback(i, i, LONG, NOW) for i in range(2)],
        )
        for i in range(interviews_count)
    ]
    line = rules.RosterLine(_seeker(), 3, 2, NOW - timedelta(days=1), NOW)
    return rules.SeekerReport(_seeker(), True, line, reports)


def _roster(seekers: int) -> rules.GroupRoster:
    lines = [rules.RosterLine(_seeker(n), 3, n % 4, NOW - timedelta(days=1), None) for n in range(seekers)]
    return rules.GroupRoster(hostile_group(), lines)


def hostile_group() -> CoachGroup:
    return CoachGroup(9, HOSTILE, "ABCDEFGHJKMN", NOW)


def _membership(status: MembershipStatus = MembershipStatus.PENDING) -> Membership:
    return Membership(41, 9, HOSTILE, 1, HOSTILE, status, NOW, None, None)


def _digest(count: int) -> rules.Digest:
    items = [
        rules.DigestItem(_seeker(n), _interview(n, outcome=Outcome.OFFER), NOW, follow_up(FollowUpKind.CHECK_IN))
        for n in range(count)
    ]
    return rules.Digest(NOW - timedelta(days=7), NOW, NOW, count, items, items, items, items, [_seeker()] * count)


def _zone_change() -> ZoneChanged:
    call = follow_up(FollowUpKind.CHECK_IN)
    moves = [Moved(replace(call, id=i), _interview(i), NOW - timedelta(hours=3)) for i in range(60)]
    return ZoneChanged(replace(user("Asia/Tokyo"), timezone_chosen=True), ZoneInfo("America/New_York"), moves, moves)


def _nudges() -> dict[str, Callable[[], Built]]:
    built: dict[str, Callable[[], Built]] = {}
    for kind in FollowUpKind:
        nudge = Nudge(follow_up(kind), _interview(), steps(), _call(), user(), late=True)
        built[f"nudge {kind.value}"] = lambda nudge=nudge: nudges.nudge(nudge, SNOOZE)  # type: ignore[misc]
    return built


def _lists() -> dict[str, Callable[[], Built]]:
    many = [OpenFollowUp(replace(follow_up(FollowUpKind.CHECK_IN), id=i), _interview(i)) for i in range(60)]
    summaries = [InterviewSummary(_interview(i), follow_up(FollowUpKind.PREP)) for i in range(60)]
    return {
        "follow_up_list": lambda: follow_ups.follow_up_list(many, NOW, 2, PAGER),
        "follow_up_list empty": lambda: follow_ups.follow_up_list([], NOW, 0, PAGER),
        "follow_up_page": lambda: follow_ups.follow_up_page(many, NOW, 2, PAGER),
        "follow_up_page empty": lambda: follow_ups.follow_up_page([], NOW, 0, PAGER),
        "with_buttons": lambda: follow_ups.with_buttons(many[0], NOW),
        "interview_list": lambda: interviews.interview_list(summaries, NOW, 1, PAGER, "everything"),
        "interview_list empty": lambda: interviews.interview_list([], NOW, 0, PAGER, "interviews"),
    }


def catalogue() -> dict[str, Callable[[], Built]]:
    """Each builder by name (the content function it calls comes first in the name)."""
    late = FollowUpChange(follow_up(FollowUpKind.THANK_YOU_EMAIL), _interview(), past_deadline=True)
    plan = [follow_up(kind) for kind in FollowUpKind]
    ask = follow_up(FollowUpKind.FEEDBACK_REQUEST)
    plan_result = InterviewPlan(user(), _interview(), plan, NOW + timedelta(days=7), ZoneInfo("America/Chicago"))
    closed = _interview(outcome=Outcome.REJECTED)
    return {
        **_nudges(),
        **_lists(),
        "done": lambda: follow_ups.done(late),
        "snoozed": lambda: follow_ups.snoozed(late),
        "acted": lambda: follow_ups.acted(replace(late, past_deadline=False), ("ok",)),
        "interview_logged": lambda: interviews.interview_logged(plan_result, NOW + timedelta(days=30)),
        "next_steps_recorded": lambda: interviews.next_steps_recorded(
            NextStepsRecorded(user(), _interview(), steps(), ask, ZoneInfo("Europe/Paris"))
        ),
        "check_in_logged": lambda: interviews.check_in_logged(CheckInLogged(user(), _interview(), _call(), ask)),
        "outcome_recorded": lambda: interviews.outcome_recorded(OutcomeRecorded(user(), closed, 3, ask, Outcome.OFFER)),
        "feedback_recorded": lambda: interviews.feedback_recorded(_interview(), Feedback(1, 1, LONG, NOW)),
        "interview_edited": lambda: interviews.interview_edited(
            InterviewEdited(user(), _interview(), ["time", "company"], plan, NOW, ZoneInfo("Asia/Tokyo")), NOW
        ),
        "confirm_delete": lambda: interviews.confirm_delete(_interview(), 5),
        "interview_deleted": lambda: interviews.interview_deleted(_interview(), 5),
        "delete_kept": lambda: interviews.delete_kept(HOSTILE),
        "nothing_to_reopen": interviews.nothing_to_reopen,
        "interview_reopened": lambda: interviews.interview_reopened(
            InterviewReopened(user(), _interview(), Outcome.REJECTED, plan), NOW
        ),
        "user_settings": lambda: preferences.user_settings(replace(user(), quiet_hours=QuietHours(time(22), time(7)))),
        "zone_changed": lambda: preferences.zone_changed(_zone_change()),
        "zone_question": lambda: preferences.zone_question("/interview add when:" + HOSTILE, 3, "Europe/Lisbon", NOW),
        "zone_set": lambda: preferences.zone_set(_zone_change(), HOSTILE),
        "error": lambda: notices.error(HOSTILE),
        "dms_closed": lambda: notices.dms_closed(("open them in the app's Messages tab.",)),
        "delete_prompt (your data)": lambda: your_data.delete_prompt(NOW),
        "deleted": your_data.deleted,
        "files_in_dm": lambda: your_data.files_in_dm("your data"),
        "files_not_sent": lambda: your_data.files_not_sent(("open them in the app's Messages tab.",)),
        "leave_which": lambda: leaving.leave_which(
            HOSTILE, 150, [leaving.Leavable(i, HOSTILE, i % 2 == 0) for i in range(150)]
        ),
        "group_created": lambda: coaching.group_created(hostile_group()),
        "new_invite": lambda: coaching.new_invite(hostile_group()),
        "coach_added": lambda: coaching.coach_added(hostile_group(), HOSTILE),
        "coach_added_notice": lambda: coaching.coach_added_notice(rules.CoachAdded(HOSTILE, HOSTILE)),
        "consent_prompt": lambda: coaching.consent_prompt(
            ConsentRequest(_membership(), [HOSTILE] * 20, hostile_report(60))
        ),
        "consent_decided": lambda: coaching.consent_decided(_membership(MembershipStatus.ACTIVE)),
        "left": lambda: coaching.left(Left([_membership()] * 5, [hostile_group()] * 5)),
        "removed": lambda: coaching.removed(Removed(HOSTILE, [_membership()] * 5, [hostile_group()] * 5)),
        "delete_prompt (group)": lambda: coaching.delete_prompt(hostile_group(), NOW),
        "group_deleted": lambda: coaching.group_deleted(GroupGone(hostile_group(), 40, 3)),
        "group_deleted_notice": lambda: coaching.group_deleted_notice(rules.GroupDeleted(HOSTILE, HOSTILE)),
        "roster_page": lambda: coaching.roster_page(_roster(45), 1),
        "roster_page empty": lambda: coaching.roster_page(_roster(0), 0),
        "seeker_detail": lambda: coaching.seeker_detail(hostile_report(60)),
        "nudge_result": lambda: coaching.nudge_result(HOSTILE, sent=False, dms_closed=False),
        "encouragement": lambda: coaching.encouragement(rules.Encouragement(HOSTILE, (HOSTILE,) * 3, LONG)),
        "digest_plan": lambda: coaching.digest_plan(_plan(), NOW),
        "share_notes": lambda: coaching.share_notes(True),
        "invite_post": lambda: coaching.invite_post(hostile_group(), HOSTILE),
        "export_sent": coaching.export_sent,
        "coach_menu": lambda: coaching.coach_menu(
            {word: f"/followthrough coach {word}" for word, _ in coaching.COACH_ACTIONS}
        ),
        "digest": lambda: digest.digest(_digest(200)),
    }


def _plan() -> DigestPlan:
    return DigestPlan(1, "Europe/London", 0, time(9), True, NOW, NOW, None)


def message_builders() -> set[str]:
    """The content functions that build a Message (or several), by name."""
    return {
        name
        for module in MODULES
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and inspect.signature(function).return_annotation
        in ("Message", "tuple[Message, Message]", "tuple[Message, ...]")
    }
