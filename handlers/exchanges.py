"""/log: a member records time given or received, step by step, for the other member to confirm.

The form is a ledger draft (it survives restarts). Every button carries the draft's id, so a
button from an earlier form does nothing; sending makes one transfer per draft, ever.

Button data (each signed for its recipient):
  lg:new   lg:intro:<introduction>   lg:who:<draft>:<member>   lg:find:<draft>
  lg:dir:<draft>:1|0   lg:min:<draft>:<minutes>   lg:mpg:<draft>:<page>
  lg:day:<draft>:<yyyymmdd>   lg:dayt:<draft>   lg:skip|keep:<draft>   lg:send:<draft>
  lg:back:<draft>:<step>   lg:stop:<draft>
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.ledger import FloorDecision, day_problem, floor_decision, minutes_problem
from bot.domain.membership import Status
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import confirmations, details
from handlers.common import (
    Buttons,
    Screen,
    button_handler,
    keyboard,
    say,
    show,
    tr_for,
    typed_answer,
)
from handlers.credit_common import (
    NOTE_MAX,
    amount_rows,
    button_name,
    day_from_token,
    day_rows,
    day_words,
    hours_words,
    name_of,
    today,
    typed_day,
    typed_minutes,
)
from handlers.menu import back_to_menu
from storage.ledger_drafts import LedgerDraft, Purpose
from storage.members import Member

COMMANDS = (Command("log", N_("Log time you gave or received")),)

STEP = "log"  # typed answers while member.step is "log:<who|min|day|note>"
NAME_SEARCH_MAX = 60
PARTNERS_SHOWN = 6

# The steps in order; « Back goes to the one before.
WHO, DIRECTION, MINUTES, DAY, NOTE, REVIEW = "who", "dir", "min", "day", "note", "review"
ORDER = (WHO, DIRECTION, MINUTES, DAY, NOTE, REVIEW)


def _controls(b: Buttons, tr: Translator, draft: LedgerDraft, step: str) -> list:
    """« Back (except on the first step) and Cancel, on every step."""
    _ = tr.gettext
    row = [b(_("« Back"), "lg", "back", draft.id, step)] if step != WHO else []
    return [*row, b(_("Cancel"), "lg", "stop", draft.id)]


# --- the questions -------------------------------------------------------------------------


async def _question(
    services: Services, member: Member, draft: LedgerDraft, step: str, page: int = 0
) -> tuple[Screen, str | None]:
    """The screen for a step (for the time, which page of it), and what typed answer it takes
    (None: buttons only)."""
    assert member.telegram_id is not None
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    other = await services.members.get(draft.other_id)
    name, label = name_of(other, tr), button_name(other, tr)
    if step == WHO:
        intros = await services.introductions.partners_of(member.id, limit=PARTNERS_SHOWN * 2)
        partners = [
            m
            for intro in intros
            if (m := await services.members.get(intro.other(member.id))) is not None
            and m.status is Status.ACTIVE
        ][:PARTNERS_SHOWN]
        rows = [[b(button_name(m, tr), "lg", "who", draft.id, m.id)] for m in partners]
        if partners:
            text = _(
                "<b>Log time</b>\nWho was the exchange with? Tap their name, or type part of "
                "the name of someone else."
            )
        else:
            text = _(
                "<b>Log time</b>\nWho was the exchange with? Please type their name "
                "(part of it is fine)."
            )
        return Screen(text, keyboard(*rows, _controls(b, tr, draft, step))), WHO
    if step == DIRECTION:
        text = _("Which way did the help go between you and {name}?").format(name=name)
        return Screen(
            text,
            keyboard(
                [b(_("🤲 I helped {name}").format(name=label), "lg", "dir", draft.id, 1)],
                [b(_("🙏 {name} helped me").format(name=label), "lg", "dir", draft.id, 0)],
                _controls(b, tr, draft, step),
            ),
        ), None
    if step == MINUTES:
        text = _(
            "How long did it take? Tap the hours (¼ is a quarter of an hour), or type it, "
            "for example 1½ or 90 min."
        )
        rows = amount_rows(
            b,
            services.config.max_exchange_minutes,
            page,
            ("lg", "min", draft.id),
            ("lg", "mpg", draft.id),
            tr,
        )
        return Screen(text, keyboard(*rows, _controls(b, tr, draft, step))), MINUTES
    if step == DAY:
        text = _("When was it? Tap a day, or type the date.")
        rows = day_rows(b, tr, today(services), ("lg", "day", draft.id), ("lg", "dayt", draft.id))
        return Screen(text, keyboard(*rows, _controls(b, tr, draft, step))), DAY
    if step == NOTE:
        text = _(
            "What was it for? Type a few words, for example “Lift to the surgery”, so you "
            "both remember. Or tap Skip."
        )
        choices = [b(_("Skip"), "lg", "skip", draft.id)]
        if draft.note:
            text += "\n\n" + _("Your note now: “{note}”").format(note=escape(draft.note))
            choices = [
                b(_("Keep this note"), "lg", "keep", draft.id),
                b(_("No note"), "lg", "skip", draft.id),
            ]
        return Screen(text, keyboard(choices, _controls(b, tr, draft, step))), NOTE
    return await _review(services, member, draft), None


async def _review(services: Services, member: Member, draft: LedgerDraft) -> Screen:
    assert member.telegram_id is not None and draft.minutes and draft.happened_on
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    other = await services.members.get(draft.other_id)
    name = name_of(other, tr)
    values = {
        "name": name,
        "hours": hours_words(tr, draft.minutes),
        "day": day_words(tr, draft.happened_on, today(services)),
    }
    if draft.gave:
        what = _("You helped {name} for {hours}, {day}.").format(**values)
    else:
        what = _("{name} helped you for {hours}, {day}.").format(**values)
    lines = [_("<b>Please check:</b>"), what]
    if draft.note:
        lines.append(_("What for: {note}").format(note=escape(draft.note)))
    if not draft.gave:
        balance = await services.ledger.balance(member.id)
        floor = services.config.balance_floor_minutes
        if floor_decision(balance, draft.minutes, floor) is FloorDecision.NEEDS_APPROVAL:
            lines += [
                "",
                _(
                    "This would take your balance to {after}, beyond the community's limit of "
                    "{floor}. That's all right: there's no shame in receiving help. Once {name} "
                    "confirms, a coordinator will be asked to say yes."
                ).format(
                    after=hours_words(tr, balance - draft.minutes),
                    floor=hours_words(tr, floor),
                    name=name,
                ),
            ]
    lines += ["", _("I'll ask {name} to confirm it.").format(name=name)]
    return Screen(
        "\n".join(lines),
        keyboard(
            [
                b(
                    _("✅ Send to {name}").format(name=button_name(other, tr)),
                    "lg",
                    "send",
                    draft.id,
                )
            ],
            _controls(b, tr, draft, REVIEW),
        ),
    )


async def _ask(
    update: Update,
    context: AmserContext,
    member: Member,
    draft: LedgerDraft,
    step: str,
    *,
    note: str | None = None,
    new: bool = False,
) -> None:
    services = context.services
    screen, typed = await _question(services, member, draft, step)
    await services.members.update(
        member.id, services.clock.now(), step=f"{STEP}:{typed}" if typed else None
    )
    screen = screen.after(note) if note else screen
    await (say if new else show)(update, context, screen)


def _next_step(draft: LedgerDraft) -> str:
    """The first step still to answer (the note is optional, so it is asked once, in order)."""
    if draft.other_id is None:
        return WHO
    if draft.gave is None:
        return DIRECTION
    if draft.minutes is None:
        return MINUTES
    if draft.happened_on is None:
        return DAY
    return NOTE


# --- starting ------------------------------------------------------------------------------


async def log_command(update: Update, context: AmserContext) -> None:
    member = await details.active_member(update, context)
    if member is not None:
        await _start(update, context, member, new=True)


async def _start(
    update: Update,
    context: AmserContext,
    member: Member,
    *,
    new: bool,
    intro_id: int | None = None,
) -> None:
    services = context.services
    now = services.clock.now()
    values: dict[str, object] = {}
    note = None
    if intro_id is not None:
        intro = await services.introductions.get(intro_id)
        if intro is None or not intro.involves(member.id):
            return
        other = await services.members.get(intro.other(member.id))
        note = await _partner_problem(services, member, other) if other else None
        if other is not None and note is None:
            values = {
                "other_id": other.id,
                "introduction_id": intro.id,
                "listing_id": intro.listing_id,
            }
    draft = await services.ledger_drafts.start(member.id, Purpose.LOG, now, **values)
    await _ask(update, context, member, draft, _next_step(draft), note=note, new=new)


# --- choosing the other member -------------------------------------------------------------


async def _partner_problem(services: Services, member: Member, other: Member) -> str | None:
    """Why this member can't be the other side of an exchange, in the member's words; or None."""
    _ = tr_for(services, member).gettext
    if other.id == member.id:
        return _("That's you! Please choose the person you exchanged time with.")
    if other.status is not Status.ACTIVE:
        return _(
            "Sorry, {name} can't take part in exchanges at the moment. A coordinator can help "
            "if something needs recording."
        ).format(name=name_of(other, tr_for(services, member)))
    if other.telegram_id is None:
        return _(
            "{name} isn't on Telegram, so they can't confirm it here. Please ask a coordinator "
            "to record it for you both."
        ).format(name=name_of(other, tr_for(services, member)))
    if await services.blocks.is_blocked_either_way(member.id, other.id):
        return _("Sorry, I can't log an exchange with {name}. A coordinator can help.").format(
            name=name_of(other, tr_for(services, member))
        )
    return None


async def _choose(
    update: Update, context: AmserContext, member: Member, draft: LedgerDraft, other_id: int
) -> None:
    services = context.services
    other = await services.members.get(other_id)
    if other is None:
        await _ask(update, context, member, draft, WHO)
        return
    problem = await _partner_problem(services, member, other)
    if problem is not None:
        await _ask(update, context, member, draft, WHO, note=problem, new=True)
        return
    # Linked to their introduction, if they had one, so the exchange says what it settled.
    intro = await services.introductions.latest_between(member.id, other.id)
    draft = await services.ledger_drafts.set(
        draft.id,
        services.clock.now(),
        other_id=other.id,
        introduction_id=intro.id if intro else None,
        listing_id=intro.listing_id if intro else None,
    )
    await _ask(update, context, member, draft, DIRECTION)


async def _search(
    update: Update, context: AmserContext, member: Member, draft: LedgerDraft, words: str
) -> None:
    """Members whose name matches what was typed, as buttons to pick from."""
    services = context.services
    assert member.telegram_id is not None
    tr = tr_for(services, member)
    _ = tr.gettext
    found = await services.members.find_by_name(words, limit=PARTNERS_SHOWN + 1)
    others = [m for m in found if m.id != member.id]
    if not others:
        note = (
            _("That's you! Please type the name of the person you exchanged time with.")
            if found
            else _("I couldn't find a member called “{words}”. Please check the spelling, or "
                   "type just part of the name.").format(words=escape(words))
        )  # fmt: skip
        await _ask(update, context, member, draft, WHO, note=note, new=True)
        return
    b = Buttons(services, member.telegram_id)
    rows = [[b(button_name(m, tr), "lg", "who", draft.id, m.id)] for m in others[:PARTNERS_SHOWN]]
    text = _("Which of these is the person you exchanged time with?")
    if len(others) > PARTNERS_SHOWN:
        text += "\n" + _("If you can't see them, type more of their name.")
    # Controls as if on the next step, so « Back returns to the question of who.
    await say(update, context, Screen(text, keyboard(*rows, _controls(b, tr, draft, DIRECTION))))


# --- typed answers ---------------------------------------------------------------------------


async def handle_input(update: Update, context: AmserContext, member: Member) -> None:
    """A typed answer to the step the member is on."""
    services = context.services
    assert update.message is not None
    tr = tr_for(services, member)
    draft = await services.ledger_drafts.get(member.id, Purpose.LOG)
    step = (member.step or "").partition(":")[2]
    if draft is None or draft.sent_transfer_id is not None or step not in (WHO, MINUTES, NOTE, DAY):
        await services.members.update(member.id, services.clock.now(), step=None)
        await say(
            update, context, Screen(tr.gettext("That form has closed. Send /log to start again."))
        )
        return
    limit = NAME_SEARCH_MAX if step == WHO else NOTE_MAX
    text, problem = typed_answer(update.message, tr, limit, one_line=step != NOTE)
    if problem is not None:
        await _ask_typed_again(update, context, member, draft, step, problem)
        return
    assert text is not None
    now = services.clock.now()
    if step == WHO:
        await _search(update, context, member, draft, text)
        return
    if step == MINUTES:
        minutes, problem = typed_minutes(tr, text, services.config.max_exchange_minutes)
        if problem is not None:
            await _ask(update, context, member, draft, MINUTES, note=problem, new=True)
            return
        draft = await services.ledger_drafts.set(draft.id, now, minutes=minutes)
    elif step == DAY:
        day, problem = typed_day(tr, text, today(services))
        if problem is not None:
            await _ask_typed_again(update, context, member, draft, DAY, problem)
            return
        draft = await services.ledger_drafts.set(draft.id, now, happened_on=day)
    else:
        draft = await services.ledger_drafts.set(draft.id, now, note=text)
        await _ask(update, context, member, draft, REVIEW, new=True)
        return
    await _ask(update, context, member, draft, _after(draft, step), new=True)


async def _ask_typed_again(
    update: Update,
    context: AmserContext,
    member: Member,
    draft: LedgerDraft,
    step: str,
    problem: str,
) -> None:
    if step == DAY:
        await _ask_for_typed_day(update, context, member, draft, note=problem)
    else:
        await _ask(update, context, member, draft, step, note=problem, new=True)


async def _ask_for_typed_day(
    update: Update,
    context: AmserContext,
    member: Member,
    draft: LedgerDraft,
    note: str | None = None,
) -> None:
    services = context.services
    assert member.telegram_id is not None
    tr = tr_for(services, member)
    b = Buttons(services, member.telegram_id)
    text = tr.gettext("Please type the date, for example {example}.").format(
        example=today(services).strftime("%d/%m/%Y")
    )
    await services.members.update(member.id, services.clock.now(), step=f"{STEP}:{DAY}")
    screen = Screen(text, keyboard(_controls(b, tr, draft, DAY)))
    await say(update, context, screen.after(note) if note else screen)


def _after(draft: LedgerDraft, step: str) -> str:
    """Where to go once a step is answered: the next unanswered question; once all are
    answered, the note the first time through, otherwise straight back to the review."""
    missing = _next_step(draft)
    if missing != NOTE:
        return missing
    return NOTE if step == DAY else REVIEW


# --- buttons ---------------------------------------------------------------------------------


async def on_log_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    member = await details.active_member(update, context)
    if member is None or not parts:
        return
    services = context.services
    if parts == ["new"]:
        await _start(update, context, member, new=True)
        return
    if len(parts) == 2 and parts[0] == "intro" and parts[1].isdigit():
        await _start(update, context, member, new=True, intro_id=int(parts[1]))
        return
    if len(parts) < 2 or not parts[1].isdigit():
        return
    action, draft_id, rest = parts[0], int(parts[1]), parts[2:]
    draft = await services.ledger_drafts.by_id(draft_id)
    if draft is None or draft.member_id != member.id or draft.purpose is not Purpose.LOG:
        await _closed(update, context, member)
        return
    if action == "send":
        await _send(update, context, member, draft)
        return
    if draft.sent_transfer_id is not None:
        await _closed(update, context, member)
        return
    now = services.clock.now()
    value = rest[0] if rest else ""
    if action == "stop":
        await services.ledger_drafts.discard(member.id, Purpose.LOG)
        await services.members.update(member.id, now, step=None)
        await show(
            update,
            context,
            Screen(
                tr_for(services, member).gettext("Okay, nothing was logged."),
                keyboard(back_to_menu(services, member)),
            ),
        )
    elif action == "back" and value in ORDER[1:]:
        await _ask(update, context, member, draft, ORDER[ORDER.index(value) - 1])
    elif action == "who" and value.isdigit():
        await _choose(update, context, member, draft, int(value))
    elif action == "dir" and value in ("0", "1"):
        draft = await services.ledger_drafts.set(draft.id, now, gave=value == "1")
        await _ask(update, context, member, draft, _after(draft, DIRECTION))
    elif action == "min" and value.isdigit() and _fits(services, int(value)):
        draft = await services.ledger_drafts.set(draft.id, now, minutes=int(value))
        await _ask(update, context, member, draft, _after(draft, MINUTES))
    elif action == "mpg" and value.isdigit():
        await _amount_page(update, context, member, draft, int(value))
    elif action == "day" and (day := day_from_token(value)) is not None:
        if day_problem(day, today(services)) is None:
            draft = await services.ledger_drafts.set(draft.id, now, happened_on=day)
            await _ask(update, context, member, draft, _after(draft, DAY))
    elif action == "dayt":
        await _ask_for_typed_day(update, context, member, draft)
    elif action == "skip":
        draft = await services.ledger_drafts.set(draft.id, now, note=None)
        await _ask(update, context, member, draft, REVIEW)
    elif action == "keep":
        await _ask(update, context, member, draft, REVIEW)


def _fits(services: Services, minutes: int) -> bool:
    return minutes_problem(minutes, services.config.max_exchange_minutes) is None


async def _amount_page(
    update: Update, context: AmserContext, member: Member, draft: LedgerDraft, page: int
) -> None:
    screen, _typed = await _question(context.services, member, draft, MINUTES, page)
    await show(update, context, screen)


async def _closed(update: Update, context: AmserContext, member: Member) -> None:
    _ = tr_for(context.services, member).gettext
    await show(update, context, Screen(_("That form has closed. Send /log to start again.")))


# --- sending ---------------------------------------------------------------------------------


async def _send(update: Update, context: AmserContext, member: Member, draft: LedgerDraft) -> None:
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    if draft.sent_transfer_id is not None:  # a double tap or a re-delivered press
        other = await services.members.get(draft.other_id)
        await show(update, context, _sent_screen(services, member, other))
        return
    if draft.other_id is None or draft.gave is None or not draft.minutes or not draft.happened_on:
        await _ask(update, context, member, draft, _next_step(draft), new=True)
        return
    other = await services.members.get(draft.other_id)
    problem = (
        await _partner_problem(services, member, other) if other else _("Please choose again.")
    )
    if problem is not None or other is None:
        await _ask(update, context, member, draft, WHO, note=problem, new=True)
        return
    now = services.clock.now()
    helper, helped = (member, other) if draft.gave else (other, member)
    created = await services.ledger.propose(
        key=draft.key,
        created_by=member.id,
        helped_id=helped.id,
        helper_id=helper.id,
        minutes=draft.minutes,
        happened_on=draft.happened_on,
        now=now,
        note=draft.note,
        listing_id=draft.listing_id,
        introduction_id=draft.introduction_id,
    )
    await services.ledger_drafts.mark_sent(draft.id, created.transfer.id, now)
    await services.members.update(member.id, now, step=None)
    if created.created:
        await confirmations.ask_to_confirm(context, created.transfer)
    await show(update, context, _sent_screen(services, member, other))


def _sent_screen(services: Services, member: Member, other: Member | None) -> Screen:
    tr = tr_for(services, member)
    return Screen(
        tr.gettext(
            "✅ Sent. I've asked {name} to confirm it, and I'll let you know when they do. "
            "Thank you for logging it!"
        ).format(name=name_of(other, tr)),
        keyboard(back_to_menu(services, member)),
    )


# --- wiring ----------------------------------------------------------------------------------


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("log", log_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("lg", on_log_button))
    app.input_handlers[STEP] = handle_input
