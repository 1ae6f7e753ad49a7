"""How coaching looks: invites, the consent prompt, rosters, a seeker's detail, digests and coaches' notes."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.domain.coaching import (
    CoachAdded,
    Digest,
    DigestItem,
    Encouragement,
    FollowUpState,
    GroupDeleted,
    GroupRoster,
    InterviewReport,
    RosterLine,
    SeekerReport,
)
from bot.domain.models import CoachGroup, DigestPlan, Membership, MembershipStatus
from bot.platforms.discord.embeds import (
    BAD,
    BRAND,
    DESCRIPTION,
    FIELD_NAME,
    FIELD_VALUE,
    FIELDS,
    GOOD,
    TOTAL,
    WARN,
    clip,
    escape,
    next_steps_summary,
    within,
)
from bot.platforms.discord.timestamps import both, full, relative
from bot.ports.senders import DeliveryStatus
from bot.usecases.groups import ConsentRequest, GroupGone, Left, Removed, show_code
from bot.usecases.roster import NudgeResult

PAGE_SIZE = 20  # roster lines per page: 50 seekers read as three pages
TYPED = 300  # characters of a note or of what was heard, in a seeker's detail
MORE = 50  # room kept for the "…and N more" field
PREVIEW = "What your coaches would see today"

STATE_MARKS = {
    FollowUpState.DONE: "✅ done",
    FollowUpState.DUE: "🕒 due",
    FollowUpState.OVERDUE: "⚠️ overdue",
    FollowUpState.SNOOZED: "💤 snoozed",
    FollowUpState.UNDELIVERABLE: "📵 couldn't DM them",
}
CLOSED_DMS = "📵"

SHARED = (
    "• each interview: company, role, stage and outcome\n"
    "• each follow-up's status: done, due, overdue, snoozed, or undeliverable because your DMs are closed\n"
    "• your check-in calls, what you heard, and feedback you recorded\n"
    "• when you were last active"
)


def _quoted(names: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"“{escape(n)}”" for n in names)


def group_created(group: CoachGroup) -> discord.Embed:
    embed = discord.Embed(title=f"Group created: {escape(group.name)}", colour=GOOD)
    embed.description = (
        f"Invite code: **`{show_code(group.invite_code)}`**\n\nSeekers join with `/coach join code:…`. Each sees "
        "exactly what you will see and must accept before anything is shared. See them with `/coach roster`."
    )
    embed.set_footer(text="Keep the code to your group. /coach invite new replaces it if it leaks.")
    return embed


def new_invite(group: CoachGroup) -> discord.Embed:
    return discord.Embed(
        title=f"New invite code: {escape(group.name)}",
        description=f"**`{show_code(group.invite_code)}`**\n\nThe old code no longer works, and invitations "
        "made with it but not yet accepted have lapsed. Members stay.",
        colour=GOOD,
    )


def coach_added(group: CoachGroup, name: str) -> discord.Embed:
    return discord.Embed(
        title=f"Co-coach added: {escape(group.name)}",
        description=f"{escape(name)} now coaches “{escape(group.name)}” and sees its roster. "
        "Its members get a DM saying so.",
        colour=GOOD,
    )


def coach_added_notice(notice: CoachAdded) -> discord.Embed:
    return discord.Embed(
        title=f"New co-coach for “{escape(notice.group)}”",
        description=f"{escape(notice.coach_name)} now coaches “{escape(notice.group)}” and sees what you share "
        "with it, as its other coaches do. To stop sharing, use `/coach leave`.",
        colour=BRAND,
    )


def consent_prompt(request: ConsentRequest) -> list[discord.Embed]:
    """The question, and the seeker's own detail exactly as the coaches would see it (Discord counts the
    6,000 characters across both)."""
    membership = request.membership
    notes = (
        "Your private notes are **shared** (you turned this on with `/settings share-notes`)."
        if request.preview.notes_shared
        else "Your private notes (on interviews, answers and outcomes) stay **private**; "
        "`/settings share-notes on` would share them."
    )
    ask = discord.Embed(title=f"Share your job hunt with “{escape(membership.group_name)}”?", colour=BRAND)
    ask.description = (
        f"Its coaches ({clip(_quoted(request.coaches), 1000)}, and any co-coach they add later) would see:\n"
        f"{SHARED}\n\n{notes}\n\n"
        "Nothing is shared until you press **Accept**. You can stop at any time with `/coach leave`."
    )
    preview = seeker_detail(request.preview, TOTAL - len(ask) - len(PREVIEW))
    preview.set_author(name=PREVIEW)
    return [ask, preview]


def consent_decided(membership: Membership) -> discord.Embed:
    if membership.status is MembershipStatus.ACTIVE:
        return discord.Embed(
            title=f"Sharing with “{escape(membership.group_name)}”",
            description="Its coaches can now see your progress. Stop at any time with `/coach leave`.",
            colour=GOOD,
        )
    return discord.Embed(
        title=f"Declined: “{escape(membership.group_name)}”",
        description="Nothing was shared.",
        colour=BRAND,
    )


def left(result: Left) -> discord.Embed:
    names = [m.group_name for m in result.memberships] + [g.name for g in result.coached]
    lines = []
    if result.memberships:
        lines.append("Those coaches can no longer see anything of your job hunt.")
    if result.coached:
        lines.append(f"You no longer coach {_quoted([g.name for g in result.coached])} nor see its members.")
    return discord.Embed(title="You left " + _quoted(names), description="\n".join(lines), colour=GOOD)


def removed(result: Removed) -> discord.Embed:
    lines = []
    if result.memberships:
        groups = _quoted([m.group_name for m in result.memberships])
        lines.append(
            f"From {groups}: you no longer see their job hunt, and your current invite code can't bring them "
            "back (`/coach invite new` makes one that can)."
        )
    if result.coached:
        lines.append(f"As co-coach of {_quoted([g.name for g in result.coached])}: they no longer see its members.")
    return discord.Embed(title=f"Removed {escape(result.name)}", description="\n".join(lines), colour=GOOD)


def delete_prompt(group: CoachGroup) -> discord.Embed:
    return discord.Embed(
        title=f"Delete “{escape(group.name)}”?",
        description="Its co-coaches and members lose access at once and are told by DM; its invite code stops "
        "working. The seekers keep their own interviews and follow-ups. This cannot be undone. "
        "The button works for 10 minutes.",
        colour=BAD,
    )


def group_deleted(result: GroupGone) -> discord.Embed:
    told = f"Members and co-coaches told by DM: {result.told}."
    if result.not_told:
        told += f" Not reached (their DMs are closed or failed): {result.not_told}."
    return discord.Embed(title=f"Deleted “{escape(result.group.name)}”", description=told, colour=GOOD)


def group_deleted_notice(notice: GroupDeleted) -> discord.Embed:
    return discord.Embed(
        title=f"“{escape(notice.group)}” was deleted",
        description=f"{escape(notice.owner_name)} deleted the group “{escape(notice.group)}”. Nothing is shared "
        "through it any more, and your own interviews and follow-ups are untouched.",
        colour=BRAND,
    )


def roster_line(line: RosterLine) -> str:
    parts = [f"**{escape(line.seeker.name)}**", f"{line.open_interviews} open"]
    if line.overdue:
        since = f", since {relative(line.oldest_overdue)}" if line.oldest_overdue is not None else ""
        parts.append(f"⚠️ {line.overdue} overdue{since}")
    parts.append("active " + (relative(line.last_activity) if line.last_activity is not None else "never"))
    if line.seeker.dms_closed_at is not None:
        parts.append(f"{CLOSED_DMS} can't DM")
    return " · ".join(parts)


def pages(roster: GroupRoster) -> int:
    return max(1, -(-len(roster.lines) // PAGE_SIZE))


def roster_page(roster: GroupRoster, page: int) -> discord.Embed:
    page = min(max(page, 0), pages(roster) - 1)
    embed = discord.Embed(title=f"Roster: {escape(roster.group.name)}", colour=BRAND)
    shown = roster.lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if shown:  # only very long names could overflow a page
        embed.description = within([roster_line(line) for line in shown], DESCRIPTION, PAGE_SIZE)
    else:
        embed.description = (
            "No one is sharing with this group yet. Give seekers the invite code; they join with `/coach join`."
        )
    total = len(roster.lines)
    embed.set_footer(
        text=f"Page {page + 1} of {pages(roster)} · {total} seeker{'s' if total != 1 else ''} · most overdue first"
        f" · {CLOSED_DMS} = I can't DM them · invite code {show_code(roster.group.invite_code)}"
    )
    return embed


def _typed(value: str) -> str:
    return escape(clip(value, TYPED))


def _interview_field(item: InterviewReport) -> tuple[str, str]:
    interview = item.interview
    name = clip(escape(f"{interview.company}: {interview.role} · {item.stage}"), FIELD_NAME)
    lines = [f"Interview {full(interview.scheduled_at)}"]
    if interview.notes:
        lines.append(f"Notes: {_typed(interview.notes)}")
    if item.next_steps is not None:
        lines.append(f"Next: {next_steps_summary(item.next_steps)}")
    for tracked in item.follow_ups:
        follow_up = tracked.follow_up
        when = full(follow_up.done_at) if follow_up.done_at is not None else relative(follow_up.overdue_from)
        lines.append(f"{STATE_MARKS[tracked.state]} · {follow_up.kind.label} · {when}")
    lines += [f"📞 {full(c.called_at)}: {_typed(c.heard)}" for c in item.check_ins]
    if interview.outcome_at is not None:
        lines.append(
            f"Outcome {full(interview.outcome_at)}"
            + (f": {_typed(interview.outcome_notes)}" if interview.outcome_notes else "")
        )
    lines += [f"💬 Feedback: {_typed(f.text)}" for f in item.feedback]
    return name, within(lines, FIELD_VALUE)


def seeker_detail(report: SeekerReport, room: int = TOTAL) -> discord.Embed:
    """A field per interview while they fit in `room` characters (and Discord's 25 fields), then how many more."""
    seeker, line = report.seeker, report.line
    embed = discord.Embed(title=escape(seeker.name), colour=WARN if line.overdue else BRAND)
    summary = [roster_line(line)]
    if seeker.dms_closed_at is not None:
        summary.append(f"{CLOSED_DMS} I can't DM them: their DMs have been closed since {full(seeker.dms_closed_at)}.")
    summary.append("Groups: " + _quoted(seeker.groups))
    embed.description = clip("\n".join(summary), DESCRIPTION)
    embed.set_footer(
        text="Private notes shared by the seeker." if report.notes_shared else "Private notes stay private."
    )
    fields = [_interview_field(item) for item in report.interviews]
    for index, (name, value) in enumerate(fields):
        last = index == FIELDS - 1 and len(fields) > FIELDS
        if last or len(embed) + len(name) + len(value) > room - MORE:
            rest = len(fields) - index
            embed.add_field(name="…", value=f"and {rest} more interview{'s' if rest != 1 else ''}", inline=False)
            break
        embed.add_field(name=name, value=value, inline=False)
    if not fields:
        embed.add_field(name="Interviews", value="None logged yet.", inline=False)
    return embed


def nudge_result(result: NudgeResult) -> discord.Embed:
    name = escape(result.seeker.name)
    if result.status is DeliveryStatus.SENT:
        return discord.Embed(title=f"Sent to {name}", description="I delivered your note by DM.", colour=GOOD)
    if result.status is DeliveryStatus.DMS_CLOSED:
        return discord.Embed(
            title=f"Not delivered to {name}",
            description="Their DMs are closed to me. They'll be told how to open them next time they use a command.",
            colour=WARN,
        )
    return discord.Embed(
        title=f"Not delivered to {name}",
        description="Discord didn't take the message just now. Please try again in a moment.",
        colour=WARN,
    )


def encouragement(note: Encouragement) -> discord.Embed:
    embed = discord.Embed(
        title=f"A note from your coach, {escape(note.coach_name)}", description=escape(note.text), colour=GOOD
    )
    embed.set_footer(text=f"Sent through Follow-Through from {', '.join(note.groups)}"[:2048])
    return embed


def _new_interview(item: DigestItem) -> str:
    return f"**{escape(item.seeker.name)}**: {escape(item.interview.title)}, {full(item.interview.scheduled_at)}"


def _overdue(item: DigestItem) -> str:
    label = item.follow_up.kind.label if item.follow_up is not None else "Follow-up"
    return f"**{escape(item.seeker.name)}**: {label}, {escape(item.interview.title)} · due {full(item.at)}"


def _outcome(item: DigestItem) -> str:
    outcome = item.interview.outcome.value if item.interview.outcome else "closed"
    return f"**{escape(item.seeker.name)}**: {escape(item.interview.title)} · {outcome}"


def digest(item: Digest) -> discord.Embed:
    embed = discord.Embed(title="Your weekly coaching digest", colour=BRAND)
    count = f"{item.seekers} seeker{'s' if item.seekers != 1 else ''} sharing with you"
    embed.description = f"Since {full(item.since)} · {count}."
    if item.seekers == 0:
        embed.description += "\nNo one has joined yet: share your invite code (see `/coach roster`)."
    elif item.quiet:
        embed.description += "\nA quiet week: nothing new, nothing overdue."
    sections = (
        ("🆕 New interviews", item.new_interviews, _new_interview),
        ("⚠️ Overdue thank-yous", item.overdue_thank_yous, _overdue),
        ("📞 Missed check-in calls", item.missed_check_ins, _overdue),
        ("🏁 Outcomes", item.outcomes, _outcome),
    )
    unreachable = [f"**{escape(s.name)}**, since {full(s.dms_closed_at)}" for s in item.unreachable if s.dms_closed_at]
    fields = [(f"{name} ({len(items)})", [show(i) for i in items]) for name, items, show in sections]
    fields.append((f"{CLOSED_DMS} I can't DM ({len(unreachable)})", unreachable))
    embed.set_footer(text="See everyone with /coach roster. Change the day or time with /coach digest.")
    for name, lines in fields:
        if lines:  # each section shortened to what is left of the embed's 6,000 characters
            room = min(FIELD_VALUE, TOTAL - len(embed) - len(name))
            embed.add_field(name=name, value=within(lines, room), inline=False)
    return embed


def digest_plan(plan: DigestPlan, next_at: datetime | None) -> discord.Embed:
    embed = discord.Embed(title="Your weekly digest", colour=GOOD)
    if next_at is None:
        embed.description = "Off. Turn it back on with `/coach digest day:monday`."
    else:
        embed.description = (
            f"Every {next_at.astimezone(plan.zone):%A} at {plan.at:%H:%M} ({plan.timezone}). Next: {both(next_at)}."
        )
    return embed


def share_notes(shared: bool) -> discord.Embed:
    if shared:
        text = "Your coaches now see your private notes on interviews, answers and outcomes."
    else:
        text = "Your private notes stay private: coaches see everything else you agreed to share, but not them."
    return discord.Embed(title="Notes " + ("shared" if shared else "private"), description=text, colour=GOOD)
