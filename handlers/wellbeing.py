"""Wellbeing questions, only with a member's separate, explicit consent: asked in their welcome
(one tap for "Not now"), stopped in /privacy (which deletes their answers in the same write).

With consent, the four ONS questions come at once and then every three months, and the "since
you joined" questions once a year, one question at a time with 0-10 (or yes / no / not sure)
buttons; "Skip" and "Not now" are always one tap. Rounds are due work, one item per member and
kind, and go out through the outbox, held by quiet hours. Answers are kept once per question
per round, under the member's pseudonym; staff never see them. A very low answer gets the
helplines and the offer of someone to get in touch, straight away.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, Update

from bot.domain import wellbeing as rules
from bot.domain.membership import Status
from bot.domain.wellbeing import Kind, Round, Since
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import details
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    edit_card,
    keyboard,
    say,
    show,
    tr_for,
)
from handlers.notices import Recipient, after_quiet_hours, register_notice
from handlers.safeguarding import helplines_screen
from storage.due_work import DueItem
from storage.effects import Effect, Schedule
from storage.members import Member
from storage.outbox import Notice, OutboxItem, Priority
from storage.support import ContactReason
from storage.wellbeing import round_keys

COMMANDS: tuple[Command, ...] = ()

ROUND_KIND = "wellbeing.round"  # due work: a member's next round of one kind of questions
ROUND = "wellbeing.round"  # outbox: its first question


class Agree(ButtonData, prefix="wb:yes"):
    pass


class NotNow(ButtonData, prefix="wb:notnow"):
    pass


class Answer(ButtonData, prefix="wb:a"):
    kind: Kind
    day: date
    question: int
    answer: int | None  # None: skipped


class StopRound(ButtonData, prefix="wb:stop"):
    kind: Kind
    day: date


class ShowWellbeing(ButtonData, prefix="wb:show"):
    pass


class AskToWithdraw(ButtonData, prefix="wb:withdraw"):
    pass


class Withdraw(ButtonData, prefix="wb:withdrawn"):
    pass


# --- consent -----------------------------------------------------------------------------------


def consent_text(services: Services, member: Member) -> str:
    _ = tr_for(services, member).gettext
    return _(
        "<b>One more thing, only if you'd like.</b> Every three months we could ask you four "
        "short questions about how you feel (the ONS wellbeing questions), and once a year "
        "whether being part of {community} has made a difference. Your answers are kept apart "
        "from your name, nobody here sees them, and they are only ever counted together with "
        "everyone else's. You can skip any question, and stop at any time in /privacy, which "
        "also deletes your answers."
    ).format(community=escape(services.config.community_name))


def consent_buttons(services: Services, member: Member) -> list[list[InlineKeyboardButton]]:
    _ = tr_for(services, member).gettext
    b = Buttons(services, member.telegram_id or 0)
    return [
        [b(_("Yes, ask me the wellbeing questions"), Agree())],
        [b(_("Not now"), NotNow())],
    ]


def with_consent_offer(services: Services, member: Member, screen: Screen) -> Screen:
    """A welcome with the wellbeing offer under it (and its buttons above any others)."""
    rows = [*consent_buttons(services, member)]
    if screen.markup is not None:
        rows += [list(row) for row in screen.markup.inline_keyboard]
    return Screen(f"{screen.text}\n\n{consent_text(services, member)}", keyboard(*rows))


def _local_day(services: Services, now: datetime) -> date:
    return now.astimezone(services.config.timezone).date()


def _next_due(start: datetime, every: timedelta, now: datetime) -> datetime:
    due = start + every
    while due <= now:
        due += every
    return due


def _rounds_from(member: Member, now: datetime) -> list[Effect]:
    """The next ONS round in three months; the "since you joined" one on the next anniversary."""
    ons_key, since_key = round_keys(member.id)
    joined = member.joined_at or now
    return [
        Schedule(ons_key, ROUND_KIND, now + rules.ONS_EVERY, member.id, {"kind": Kind.ONS}),
        Schedule(
            since_key,
            ROUND_KIND,
            _next_due(joined, rules.SINCE_EVERY, now),
            member.id,
            {"kind": Kind.SINCE},
        ),
    ]


async def on_agree(update: Update, context: AmserContext, press: Agree) -> None:
    """Consent, once: the rounds are scheduled and the first questions asked straight away."""
    if (member := await details.active_member(update, context)) is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    now = services.clock.now()
    given = await services.wellbeing.consent(member.id, now, _rounds_from(member, now))
    await _tidy_offer(update, context, member)
    if not given:
        await say(update, context, Screen(_("You've already said yes to the wellbeing questions.")))
        return
    first = question_screen(services, member, Round(Kind.ONS, _local_day(services, now)), 0)
    await say(update, context, first.after(_("Thank you! Here is the first question.")))


async def on_not_now(update: Update, context: AmserContext, press: NotNow) -> None:
    member = await current_member(update, context)
    if member is None:
        return
    _ = tr_for(context.services, member).gettext
    await _tidy_offer(update, context, member)
    await say(
        update,
        context,
        Screen(
            _(
                "That's fine: we won't ask the wellbeing questions. If you change your mind, "
                "you'll find them in /privacy."
            )
        ),
    )


async def _tidy_offer(update: Update, context: AmserContext, member: Member) -> None:
    """Take the buttons off the message the offer was in (the welcome keeps its words)."""
    query = update.callback_query
    if query is not None and query.message is not None:
        await edit_card(context, member, query.message.message_id, None)


# --- the questions -----------------------------------------------------------------------------


def question_screen(services: Services, member: Member, round_: Round, index: int) -> Screen:
    """One question of a round, with its answers, "Skip" and "Not now"."""
    tr = tr_for(services, member)
    _ = tr.gettext
    asked = rules.questions(round_.kind)
    b = Buttons(services, member.telegram_id or 0)

    def answer(label: str, value: int | None) -> InlineKeyboardButton:
        return b(label, Answer(round_.kind, round_.day, index, value))

    lines = [
        _("<b>Wellbeing question {number} of {total}</b>").format(
            number=index + 1, total=len(asked)
        ),
        f"<b>{_(asked[index])}</b>",
    ]
    if round_.kind is Kind.ONS:
        lines.append(_("Tap a number: 0 means “not at all” and 10 means “completely”."))
        rows = [
            [answer(str(value), value) for value in range(0, 6)],
            [answer(str(value), value) for value in range(6, 11)],
        ]
    else:
        rows = [
            [
                # TRANSLATORS: answers to the "Since you joined, ..." questions; in Welsh each
                # question is put so that "Ydw" / "Nac ydw" answer it.
                answer(_("Yes"), int(Since.YES)),
                answer(_("No"), int(Since.NO)),
                answer(_("Not sure"), int(Since.NOT_SURE)),
            ]
        ]
    stop = StopRound(round_.kind, round_.day)
    rows.append([answer(_("Skip this question"), None), b(_("Not now"), stop)])
    return Screen("\n\n".join(lines), keyboard(*rows))


def thanks_screen(services: Services, member: Member, kind: Kind) -> Screen:
    _ = tr_for(services, member).gettext
    if kind is Kind.ONS:
        return Screen(_("Thank you. That's all for now: we'll ask again in about three months."))
    return Screen(_("Thank you. That's all: we'll ask again in a year."))


async def _consenting(update: Update, context: AmserContext) -> Member | None:
    """The member answering, if they still agree to the questions; otherwise say so."""
    if (member := await details.active_member(update, context)) is None:
        return None
    if await context.services.wellbeing.consented(member.id):
        return member
    _ = tr_for(context.services, member).gettext
    await show(
        update,
        context,
        Screen(
            _(
                "You've stopped the wellbeing questions, so nothing was kept. "
                "You can start them again in /privacy."
            )
        ),
    )
    return None


async def on_answer(update: Update, context: AmserContext, press: Answer) -> None:
    """Keep the answer (once), then the next question; a very low one gets the helplines."""
    if (member := await _consenting(update, context)) is None:
        return
    if not rules.valid_press(press.kind, press.question, press.answer):
        return  # signed for this member, but no such question or answer: nothing to keep
    services = context.services
    round_ = Round(press.kind, press.day)
    kept = await services.wellbeing.answer(
        member.id, round_, press.question, press.answer, services.clock.now()
    )
    following = press.question + 1
    if following < len(rules.questions(press.kind)):
        await show(update, context, question_screen(services, member, round_, following))
    else:
        await show(update, context, thanks_screen(services, member, press.kind))
    if kept.new and rules.needs_helplines(press.kind, press.question, press.answer):
        screen = helplines_screen(services, member, member.language, ContactReason.WELLBEING)
        await say(update, context, screen)


async def on_stop_round(update: Update, context: AmserContext, press: StopRound) -> None:
    member = await current_member(update, context)
    if member is None:
        return
    _ = tr_for(context.services, member).gettext
    if press.kind is Kind.ONS:
        text = _("That's fine. We'll ask again in about three months.")
    else:
        text = _("That's fine. We'll ask again in a year.")
    await show(update, context, Screen(text))


# --- each round, from due work through the outbox ---------------------------------------------


async def round_due(app: AmserApplication, item: DueItem) -> list[Effect]:
    """A member's round is due: its first question, held by quiet hours, and the next round."""
    services = app.services
    if item.member_id is None:
        return []
    member = await services.members.get(item.member_id)
    if member is None or member.status is Status.ERASED:
        return []
    if not await services.wellbeing.consented(member.id):
        return []  # withdrawn: no more rounds
    kind = Kind(item.payload.get("kind", Kind.ONS))
    now = services.clock.now()
    config = services.config
    again = Schedule(
        item.key,
        ROUND_KIND,
        _next_due(item.due_at, rules.every(kind), now),
        member.id,
        {"kind": kind},
    )
    if member.status is not Status.ACTIVE:
        return [again]  # paused or waiting: asked next time
    day = _local_day(services, now)
    notice = Notice(
        ROUND,
        member_id=member.id,
        data={"kind": kind, "day": day.isoformat()},
        priority=Priority.BULK,
        key=f"wellbeing:{kind}:{member.id}:{day.isoformat()}",
        not_before=after_quiet_hours(config, now),
    )
    return [notice, again]


async def _render_round(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    if member is None or member.status is not Status.ACTIVE:
        return None
    if not await services.wellbeing.consented(member.id):
        return None  # stopped while it waited
    _ = recipient.tr.gettext
    kind = Kind(item.data["kind"])
    round_ = Round(kind, date.fromisoformat(item.data["day"]))
    if kind is Kind.ONS:
        intro = _(
            "Hello {name}! It's time for the wellbeing questions again: four short ones. "
            "Skip any you like."
        )
    else:
        intro = _(
            "Hello {name}! Once a year we ask whether being part of {community} has made a "
            "difference to you: five short questions. Skip any you like."
        )
    note = intro.format(
        name=escape(member.display_name or ""),
        community=escape(services.config.community_name),
    )
    return question_screen(services, member, round_, 0).after(note)


# --- in /privacy: what they agreed to, and stopping ---------------------------------------------


async def wellbeing_screen(services: Services, member: Member, back: ButtonData) -> Screen:
    """Whether they answer the wellbeing questions, with Stop (or Yes) and a way back."""
    _ = tr_for(services, member).gettext
    b = Buttons(services, member.telegram_id or 0)
    given_at = await services.wellbeing.consented_at(member.id)
    if given_at is None:
        return Screen(
            consent_text(services, member),
            keyboard(*consent_buttons(services, member), [b(_("« Back"), back)]),
        )
    text = _(
        "<b>Wellbeing questions</b>\n"
        "You said yes to the wellbeing questions on {day}. Your answers are kept apart from "
        "your name and nobody here sees them. Stopping deletes every answer you've given."
    ).format(day=_local_day(services, given_at).strftime("%d/%m/%Y"))
    return Screen(
        text,
        keyboard(
            [b(_("Stop the questions and delete my answers"), AskToWithdraw())],
            [b(_("« Back"), back)],
        ),
    )


async def on_ask_to_withdraw(update: Update, context: AmserContext, press: AskToWithdraw) -> None:
    member = await current_member(update, context)
    if member is None:
        return
    _ = tr_for(context.services, member).gettext
    b = Buttons(context.services, member.telegram_id or 0)
    await show(
        update,
        context,
        Screen(
            _(
                "<b>Stop the wellbeing questions?</b>\n"
                "We won't ask them again, and every answer you've given is deleted. "
                "You can say yes again later."
            ),
            keyboard(
                [b(_("Yes, stop and delete my answers"), Withdraw())],
                [b(_("No, keep answering"), ShowWellbeing())],
            ),
        ),
    )


async def on_withdraw(update: Update, context: AmserContext, press: Withdraw) -> None:
    """Consent withdrawn: it, the answers and the rounds to come go in one write (twice: once)."""
    member = await current_member(update, context)
    if member is None:
        return
    services = context.services
    await services.wellbeing.withdraw(member.id, services.clock.now())
    _ = tr_for(services, member).gettext
    await show(
        update,
        context,
        Screen(
            _(
                "Done: we won't ask the wellbeing questions again, and your answers have been "
                "deleted."
            )
        ),
    )


async def on_show_wellbeing(update: Update, context: AmserContext, press: ShowWellbeing) -> None:
    member = await current_member(update, context)
    if member is None:
        return
    # /privacy shows this screen; it imports this module, so it is looked up here.
    from handlers.privacy import ShowPrivacy

    await show(update, context, await wellbeing_screen(context.services, member, ShowPrivacy()))


def register(app: AmserApplication) -> None:
    add_presses(
        app,
        {
            Agree: on_agree,
            NotNow: on_not_now,
            Answer: on_answer,
            StopRound: on_stop_round,
            ShowWellbeing: on_show_wellbeing,
            AskToWithdraw: on_ask_to_withdraw,
            Withdraw: on_withdraw,
        },
    )
    app.due_work_runner.register(ROUND_KIND, round_due)
    register_notice(app, ROUND, _render_round)
