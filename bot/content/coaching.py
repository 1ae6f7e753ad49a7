"""Coaching's words: groups and invites, the consent question with its preview, leaving and removing,
rosters, a seeker's detail, a coach's note and how it went, digest times and shared notes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from bot.content.follow_ups import page_actions
from bot.content.interviews import next_steps_summary
from bot.content.message import (
    Action,
    ActionKind,
    ActionStyle,
    Ask,
    Clip,
    Code,
    Field,
    Form,
    Input,
    Instant,
    Message,
    OnPlatform,
    PlatformName,
    Text,
    TimeStyle,
    Tone,
    UserText,
    bold,
    both,
    join,
    plural,
)
from bot.domain.coaching import (
    CoachAdded,
    Encouragement,
    FollowUpState,
    GroupDeleted,
    GroupRoster,
    InterviewReport,
    RosterLine,
    Seeker,
    SeekerReport,
)
from bot.domain.commands import Command
from bot.domain.models import CoachGroup, DigestPlan, Membership, MembershipStatus

PAGE_SIZE = 20  # roster lines per page: 50 seekers read as three pages
TYPED = 300  # characters of a note or of what was heard, in a seeker's detail
PREVIEW = "What your coaches would see today"
CLOSED_DMS = "📵"

STATE_MARKS = {
    FollowUpState.DONE: "✅ done",
    FollowUpState.DUE: "🕒 due",
    FollowUpState.OVERDUE: "⚠️ overdue",
    FollowUpState.SNOOZED: "💤 snoozed",
    FollowUpState.UNDELIVERABLE: "📵 couldn't DM them",
}

SHARED = (
    "• each interview: company, role, stage and outcome\n"
    "• each follow-up's status: done, due, overdue, snoozed, or undeliverable because your DMs are closed\n"
    "• your check-in calls, what you heard, and feedback you recorded\n"
    "• when you were last active"
)


class Consent(Protocol):
    @property
    def membership(self) -> Membership: ...
    @property
    def coaches(self) -> list[str]: ...
    @property
    def preview(self) -> SeekerReport: ...


class Gone(Protocol):
    @property
    def memberships(self) -> list[Membership]: ...
    @property
    def coached(self) -> list[CoachGroup]: ...


class RemovedFrom(Gone, Protocol):
    @property
    def name(self) -> str: ...


class GroupGone(Protocol):
    @property
    def group(self) -> CoachGroup: ...
    @property
    def told(self) -> int: ...
    @property
    def not_told(self) -> int: ...


def show_code(code: str) -> str:
    """ABCD-EFGH-JKMN: easier to read out and retype."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _quoted(names: list[str] | tuple[str, ...]) -> Text:
    return join([("“", UserText(n), "”") for n in names], ", ")


def group_created(group: CoachGroup) -> Message:
    return Message(
        ("Group created: ", UserText(group.name)),
        Tone.SUCCESS,
        body=(
            ("Invite code: ", bold(Code(show_code(group.invite_code)))),
            (),
            (
                "Seekers join with ",
                Ask(Command.COACH_JOIN, f"code:{show_code(group.invite_code)}", code=True),
                ". Each sees exactly what you will see and must accept before anything is shared. See them with ",
                Ask(Command.COACH_ROSTER, code=True),
                ".",
            ),
        ),
        footer=("Keep the code to your group. ", Ask(Command.COACH_INVITE_NEW), " replaces it if it leaks."),
    )


def new_invite(group: CoachGroup) -> Message:
    return Message(
        ("New invite code: ", UserText(group.name)),
        Tone.SUCCESS,
        body=(
            (bold(Code(show_code(group.invite_code))),),
            (),
            (
                "The old code no longer works, and invitations made with it but not yet accepted have lapsed. "
                "Members stay.",
            ),
        ),
    )


def coach_added(group: CoachGroup, name: str) -> Message:
    return Message(
        ("Co-coach added: ", UserText(group.name)),
        Tone.SUCCESS,
        body=(
            (
                UserText(name),
                " now coaches “",
                UserText(group.name),
                "” and sees its roster. Its members get a DM saying so.",
            ),
        ),
    )


def coach_added_notice(notice: CoachAdded) -> Message:
    return Message(
        ("New co-coach for “", UserText(notice.group), "”"),
        body=(
            (
                UserText(notice.coach_name),
                " now coaches “",
                UserText(notice.group),
                "” and sees what you share with it, as its other coaches do. To stop sharing, use ",
                Ask(Command.COACH_LEAVE, code=True),
                ".",
            ),
        ),
    )


def consent_prompt(request: Consent) -> tuple[Message, Message]:
    """The question, with Accept and Decline, and the seeker's own detail exactly as the coaches would see it
    (a platform that limits a message's size counts both)."""
    membership = request.membership
    notes: Text = (
        (
            "Your private notes are ",
            bold("shared"),
            " (you turned this on with ",
            Ask(Command.SET_SHARE_NOTES, code=True),
            ").",
        )
        if request.preview.notes_shared
        else (
            "Your private notes (on interviews, answers and outcomes) stay ",
            bold("private"),
            "; ",
            Ask(Command.SET_SHARE_NOTES, "on", code=True),
            " would share them.",
        )
    )
    ask = Message(
        ("Share your job hunt with “", UserText(membership.group_name), "”?"),
        body=(
            ("Its coaches (", Clip(_quoted(request.coaches), 1000), ", and any co-coach they add later) would see:"),
            (SHARED,),
            (),
            notes,
            (),
            (
                "Nothing is shared until you press ",
                bold("Accept"),
                ". You can stop at any time with ",
                Ask(Command.COACH_LEAVE, code=True),
                ".",
            ),
        ),
        actions=(
            Action(ActionKind.ACCEPT, membership.id, "Accept", ActionStyle.SUCCESS),
            Action(ActionKind.DECLINE, membership.id, "Decline"),
        ),
    )
    preview = seeker_detail(request.preview)
    return ask, Message(
        preview.title,
        preview.tone,
        preview.body,
        preview.fields,
        preview.footer,
        heading=PREVIEW,
        rest=preview.rest,
    )


def consent_decided(membership: Membership) -> Message:
    if membership.status is MembershipStatus.ACTIVE:
        return Message(
            ("Sharing with “", UserText(membership.group_name), "”"),
            Tone.SUCCESS,
            body=(
                (
                    "Its coaches can now see your progress. Stop at any time with ",
                    Ask(Command.COACH_LEAVE, code=True),
                    ".",
                ),
            ),
        )
    return Message(("Declined: “", UserText(membership.group_name), "”"), body=(("Nothing was shared.",),))


def left(result: Gone) -> Message:
    names = [m.group_name for m in result.memberships] + [g.name for g in result.coached]
    lines: list[Text] = []
    if result.memberships:
        lines.append(("Those coaches can no longer see anything of your job hunt.",))
    if result.coached:
        lines.append(("You no longer coach ", *_quoted([g.name for g in result.coached]), " nor see its members."))
    return Message(("You left ", *_quoted(names)), Tone.SUCCESS, body=tuple(lines))


def removed(result: RemovedFrom) -> Message:
    lines: list[Text] = []
    if result.memberships:
        lines.append(
            (
                "From ",
                *_quoted([m.group_name for m in result.memberships]),
                ": you no longer see their job hunt, and your current invite code can't bring them back (",
                Ask(Command.COACH_INVITE_NEW, code=True),
                " makes one that can).",
            )
        )
    if result.coached:
        lines.append(
            ("As co-coach of ", *_quoted([g.name for g in result.coached]), ": they no longer see its members.")
        )
    return Message(("Removed ", UserText(result.name)), Tone.SUCCESS, body=tuple(lines))


def delete_prompt(group: CoachGroup, asked_at: datetime) -> Message:
    return Message(
        ("Delete “", UserText(group.name), "”?"),
        Tone.ERROR,
        body=(
            (
                "Its co-coaches and members lose access at once and are told by DM; its invite code stops "
                "working. The seekers keep their own interviews and follow-ups. This cannot be undone. "
                "The button works for 10 minutes.",
            ),
        ),
        actions=(Action(ActionKind.DELETE_GROUP, group.id, "Delete the group", ActionStyle.DANGER, at=asked_at),),
    )


def group_deleted(result: GroupGone) -> Message:
    told = f"Members and co-coaches told by DM: {result.told}."
    if result.not_told:
        told += f" Not reached (their DMs are closed or failed): {result.not_told}."
    return Message(("Deleted “", UserText(result.group.name), "”"), Tone.SUCCESS, body=((told,),))


def group_deleted_notice(notice: GroupDeleted) -> Message:
    return Message(
        ("“", UserText(notice.group), "” was deleted"),
        body=(
            (
                UserText(notice.owner_name),
                " deleted the group “",
                UserText(notice.group),
                "”. Nothing is shared through it any more, and your own interviews and follow-ups are untouched.",
            ),
        ),
    )


def roster_line(line: RosterLine) -> Text:
    parts: list[Text] = [
        (bold(UserText(line.seeker.name)), OnPlatform(line.seeker.platform)),
        (f"{line.open_interviews} open",),
    ]
    if line.overdue:
        since: Text = (", since ", Instant(line.oldest_overdue, TimeStyle.RELATIVE)) if line.oldest_overdue else ()
        parts.append((f"⚠️ {line.overdue} overdue", *since))
    active = Instant(line.last_activity, TimeStyle.RELATIVE) if line.last_activity is not None else "never"
    parts.append(("active ", active))
    if line.seeker.dms_closed_at is not None:
        parts.append((f"{CLOSED_DMS} can't DM",))
    return join(parts, " · ")


def pages(roster: GroupRoster) -> int:
    return max(1, -(-len(roster.lines) // PAGE_SIZE))


def roster_page(roster: GroupRoster, page: int) -> Message:
    """Most overdue first, `PAGE_SIZE` seekers a page (a page past the end shows the last)."""
    count = pages(roster)
    page = min(max(page, 0), count - 1)
    shown = roster.lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if shown:  # only very long names could overflow a page
        body = tuple(roster_line(line) for line in shown)
    else:
        body = (
            (
                "No one is sharing with this group yet. Give seekers the invite code; they join with ",
                Ask(Command.COACH_JOIN, code=True),
                ".",
            ),
        )
    return Message(
        ("Roster: ", UserText(roster.group.name)),
        body=body,
        whole_lines=True,
        footer=(
            f"Page {page + 1} of {count} · {plural(len(roster.lines), 'seeker')} · most overdue first"
            f" · {CLOSED_DMS} = I can't DM them · invite code {show_code(roster.group.invite_code)}",
        ),
        actions=page_actions("", page, count, target=roster.group.id),
    )


def _typed(value: str) -> UserText:
    return UserText(value, TYPED)


def _interview_field(item: InterviewReport) -> Field:
    interview = item.interview
    name = UserText(f"{interview.company}: {interview.role} · {item.stage}")
    lines: list[Text] = [("Interview ", Instant(interview.scheduled_at))]
    if interview.notes:
        lines.append(("Notes: ", _typed(interview.notes)))
    if item.next_steps is not None:
        lines.append(("Next: ", *next_steps_summary(item.next_steps)))
    for tracked in item.follow_ups:
        follow_up = tracked.follow_up
        when = (
            Instant(follow_up.done_at)
            if follow_up.done_at is not None
            else Instant(follow_up.overdue_from, TimeStyle.RELATIVE)
        )
        lines.append((f"{STATE_MARKS[tracked.state]} · {follow_up.kind.label} · ", when))
    lines += [("📞 ", Instant(c.called_at), ": ", _typed(c.heard)) for c in item.check_ins]
    if interview.outcome_at is not None:
        notes: Text = (": ", _typed(interview.outcome_notes)) if interview.outcome_notes else ()
        lines.append(("Outcome ", Instant(interview.outcome_at), *notes))
    lines += [("💬 Feedback: ", _typed(f.text)) for f in item.feedback]
    return Field((name,), tuple(lines), inline=False, whole_lines=True)


def _more_interviews(count: int) -> Field:
    return Field(("…",), ((f"and {plural(count, 'more interview')}",),), inline=False)


def _closed_since(seeker: Seeker) -> Text:
    assert seeker.dms_closed_at is not None
    return (f"{CLOSED_DMS} I can't DM them: their DMs have been closed since ", Instant(seeker.dms_closed_at), ".")


def seeker_detail(report: SeekerReport) -> Message:
    """A field per interview while they fit (then how many more)."""
    seeker, line = report.seeker, report.line
    summary: list[Text] = [roster_line(line)]
    if seeker.dms_closed_at is not None:
        summary.append(_closed_since(seeker))
    summary.append(("Groups: ", *_quoted(seeker.groups)))
    fields = tuple(_interview_field(item) for item in report.interviews)
    return Message(
        (UserText(seeker.name), OnPlatform(seeker.platform)),
        Tone.WARNING if line.overdue else Tone.INFO,
        body=tuple(summary),
        fields=fields or (Field(("Interviews",), (("None logged yet.",),), inline=False),),
        footer=("Private notes shared by the seeker." if report.notes_shared else "Private notes stay private.",),
        rest=_more_interviews,
    )


def nudge_result(name: str, sent: bool, dms_closed: bool) -> Message:
    """How a coach's note to a seeker went."""
    if sent:
        return Message(("Sent to ", UserText(name)), Tone.SUCCESS, body=(("I delivered your note by DM.",),))
    why: Text = (
        ("Their DMs are closed to me. They'll be told how to open them next time they use a command.",)
        if dms_closed
        else (PlatformName(), " didn't take the message just now. Please try again in a moment.")
    )
    return Message(("Not delivered to ", UserText(name)), Tone.WARNING, body=(why,))


def encouragement(note: Encouragement) -> Message:
    return Message(
        ("A note from your coach, ", UserText(note.coach_name)),
        Tone.SUCCESS,
        body=((UserText(note.text),),),
        footer=(f"Sent through Follow-Through from {', '.join(note.groups)}",),
    )


def digest_plan(plan: DigestPlan, next_at: datetime | None) -> Message:
    if next_at is None:
        said: Text = ("Off. Turn it back on with ", Ask(Command.COACH_DIGEST, "day:monday", code=True), ".")
    else:
        every = f"Every {next_at.astimezone(plan.zone):%A} at {plan.at:%H:%M} ({plan.timezone}). Next: "
        said = (every, *both(next_at), ".")
    return Message(("Your weekly digest",), Tone.SUCCESS, body=(said,))


def share_notes(shared: bool) -> Message:
    if shared:
        text = "Your coaches now see your private notes on interviews, answers and outcomes."
    else:
        text = "Your private notes stay private: coaches see everything else you agreed to share, but not them."
    return Message(("Notes " + ("shared" if shared else "private"),), Tone.SUCCESS, body=((text,),))


# Posting an invite in a channel (everyone there reads it: it names the group and the coach, never a seeker)


def invite_post(group: CoachGroup, coach_name: str) -> Message:
    """A coach's invite in a cohort channel: Join shows each seeker privately what would be shared."""
    return Message(
        ("Join “", UserText(group.name), "” on Follow-Through"),
        body=(
            (
                UserText(coach_name),
                " coaches this group with Follow-Through, which reminds you to follow up after each interview. ",
                "Press ",
                bold("Join"),
                " to see, privately, exactly what your coaches would see of your job hunt. Nothing is shared "
                "until you accept, and you can leave at any time.",
            ),
        ),
        footer=("Or run ", Ask(Command.COACH_JOIN, f"code:{show_code(group.invite_code)}", code=True), "."),
        actions=(Action(ActionKind.JOIN_GROUP, group.id, "Join", ActionStyle.PRIMARY, choice=group.invite_code),),
    )


INVITE_IN_A_CHANNEL = (
    "Run this in your cohort's channel: it posts a Join button there for everyone in it. Here, only you would see it."
)


# What a coach can do, for platforms that list it themselves (their words after the command name)

COACH_ACTIONS: tuple[tuple[str, str], ...] = (
    ("create", "Start a group you coach and get its invite code"),
    ("invite", "Post a group's invite, with a Join button, in this channel"),
    ("new-code", "Replace a group's invite code (the old one stops working)"),
    ("add-coach", "Let someone co-coach one of your groups"),
    ("roster", "Who is on track and who is slipping, most overdue first"),
    ("seeker", "One seeker's interviews, follow-ups, calls and outcomes"),
    ("nudge", "Send a seeker an encouraging DM through the bot"),
    ("remove", "Remove a seeker, or a co-coach (owners), from your groups"),
    ("delete", "Delete a group you own (asks to confirm; members are told)"),
    ("digest", "When your weekly digest arrives (your time zone), or off"),
    ("export", "Your roster as a CSV file, in your DM with me"),
)


def coach_menu(usage: Mapping[str, str]) -> Message:
    """Each coach action as the platform writes it (`usage`, by its word) with what it does."""
    return Message(
        ("For coaches",),
        body=tuple((Code(usage[word]), " — ", what) for word, what in COACH_ACTIONS if word in usage),
        footer=("Replies are private. Your rosters are also on your Home tab.",),
    )


# Naming a seeker: picked from the coach's rosters, whatever platform they use

PICK_SEEKER = "Seeker"
PICK_SEEKER_HINT = "Everyone sharing with your groups, by the name they joined with."
PICK_SEEKER_FIRST = "Pick the seeker from the list."
CO_COACH = "co-coach"
NARROW = "Showing {shown} of {total}: type part of a name after the command to find someone else."
SHOW, SEND, REMOVE = "Show", "Send", "Remove"
MENTION_NEEDED = (
    "Name the co-coach with an @mention, picked as you type @: {example}. Add a group's name after it if you "
    "coach several."
)
ADD_COACH_FORM = Form("Add a co-coach", ())
WHO, WHICH_GROUP, ADD = "Co-coach", "Group", "Add"
NOT_A_PERSON = "Pick a person: a bot or a deactivated account can't coach."
NO_SUCH_MEMBER = "I can't find that person in this workspace. Pick them with @ as you type: {example}."
NO_SEEKERS = "No one is sharing with your groups yet. Seekers join with your invite code ({coach_join}) and accept."


def export_sent() -> Message:
    return Message(("Roster exported",), Tone.SUCCESS, body=(("Your roster's CSV is in your DM with me.",),))


SEEKER_FORM = Form("A seeker's progress", ())
NUDGE_FORM = Form(
    "Note to a seeker",
    (Input("message", "Message", "What to tell them (they see your name)", long=True, limit=1000),),
)
REMOVE_FORM = Form("Remove from your groups", ())


NAME_A_SEEKER = "Name the seeker: pick them from your roster as you type (they may use another platform), or a member."


def seeker_choice(seeker: Seeker) -> Text:
    """A seeker as a coach picks them: their name, and their platform when it is not the reader's."""
    return (UserText(seeker.name), OnPlatform(seeker.platform))
