"""Coordinators' time-credit tools: /grant from the community pot (or, Spice-style, from an
organisation a member volunteered for), /record an exchange for members who are not on
Telegram, and /reverse a confirmed transfer. Nothing is deleted or edited: a reversal is a
new transfer the other way, with a reason, and the members are told.

Each form is a ledger draft (it survives restarts). Every button carries the draft's id, so a
button from an earlier form does nothing, and sending makes one transfer per draft, ever.
Who may act is checked again on every press and every typed answer.
The forms' steps and screens are in handlers.coordinator_forms, and what the members are
told in handlers.coordinator_notices; this module asks, takes the answers and sends.

Button data (each signed for its recipient); <f> is g (grant), r (record) or v (reverse):
  cc:<f>:who:<draft>:<step>:<member>   cc:r:add:<draft>:<step>   cc:<f>:min:<draft>:<minutes>
  cc:<f>:mpg:<draft>:<page>   cc:r:day:<draft>:<yyyymmdd>   cc:r:dayt:<draft>
  cc:<f>:skip|keep:<draft>   cc:v:list:<draft>:<offset>   cc:v:pick:<draft>:<transfer>
  cc:<f>:back:<draft>:<step>   cc:<f>:send:<draft>   cc:<f>:stop:<draft>
  cc:g:from:<draft>:pot|<n>   (the community pot, or the n-th configured organisation)
Typed answers while member.step is "coord:<f>:<step>" ("coord:r:<step>:<words>" after a
name search in /record, so "Add" knows the name typed, even after a restart).
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.ledger import QUARTER_HOUR, DayProblem, day_problem, minutes_problem
from bot.domain.membership import Status
from bot.domain.roles import Role
from bot.domain.text import NAME_MAX
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.common import (
    Buttons,
    Row,
    Screen,
    button_handler,
    current_member,
    deliver,
    keyboard,
    say,
    show,
    translator,
    typed_answer,
    user_id,
)
from handlers.coordinator_forms import (
    CHOOSABLE,
    DAY,
    GIVER,
    LIST,
    MINUTES,
    NAME,
    NOTE,
    ORDER,
    POT,
    PURPOSE_FORMS,
    PURPOSES,
    REASON,
    REVIEW,
    SEARCHES,
    SOURCE,
    TAKER,
    Form,
    control_row,
    form_of,
    label,
    missing_step,
    next_step,
    pot_most,
    question,
    steps_for,
    tr_for,
    transfer_summary,
)
from handlers.coordinator_notices import given_by, granted, recorded, reversed_notice
from handlers.credit_common import (
    NOTE_MAX,
    REASON_MAX,
    day_from_token,
    day_words,
    hours_words,
    may_manage_credits,
    name_of,
    today,
    typed_day,
    typed_minutes,
)
from storage.ledger import NotEnough, Outcome, State, Transfer
from storage.ledger import TransferKind as Kind
from storage.ledger_drafts import LedgerDraft, Purpose
from storage.members import Member

COMMANDS = (
    Command("grant", N_("Give time credits to a member"), Role.ADMIN, credit_tool=True),
    Command(
        "record", N_("Record an exchange for members not on Telegram"), Role.ADMIN, credit_tool=True
    ),
    Command(
        "reverse", N_("Undo a confirmed transfer, with a reason"), Role.ADMIN, credit_tool=True
    ),
)

STEP = "coord"
SHOWN = 6  # members offered after a name search
TYPED_MAX = 30  # a typed amount or date


# --- who is acting ---------------------------------------------------------------------------


async def _coordinator(update: Update, context: AmserContext) -> Member | None:
    """The coordinator acting, checked on every command, press and typed answer."""
    services = context.services
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if not may_manage_credits(services, user_id(update)):
        if member is not None and (member.step or "").startswith(f"{STEP}:"):
            await services.members.update(member.id, services.clock.now(), step=None)
        await say(update, context, Screen(_("Sorry, only coordinators can do that.")))
        return None
    if member is None or member.status is not Status.ACTIVE or member.telegram_id is None:
        text = _(
            "Please finish joining first with /start, so members can see who looked after "
            "their credits."
        )
        await say(update, context, Screen(text))
        return None
    return member


# --- asking ----------------------------------------------------------------------------------


async def _ask(
    update: Update,
    context: AmserContext,
    me: Member,
    draft: LedgerDraft,
    form: Form,
    step: str,
    *,
    note: str | None = None,
    new: bool = False,
    page: int = 0,
) -> None:
    """Show a step's question, and take typed answers to it from now on."""
    services = context.services
    screen = await question(services, me, draft, form, step, page)
    await services.members.update(me.id, services.clock.now(), step=f"{STEP}:{form}:{step}")
    screen = screen.after(note) if note else screen
    await (say if new else show)(update, context, screen)


# --- starting --------------------------------------------------------------------------------


async def grant_command(update: Update, context: AmserContext) -> None:
    await _start(update, context, Form.GRANT)


async def record_command(update: Update, context: AmserContext) -> None:
    await _start(update, context, Form.RECORD)


async def reverse_command(update: Update, context: AmserContext) -> None:
    await _start(update, context, Form.REVERSE)


async def _start(update: Update, context: AmserContext, form: Form) -> None:
    me = await _coordinator(update, context)
    if me is None:
        return
    services = context.services
    first = steps_for(services.config, form)[0]
    if first == NAME and form is Form.GRANT and (await pot_most(services))[1] < QUARTER_HOUR:
        await say(update, context, Screen(_empty_pot(tr_for(services, me))))
        return
    draft = await services.ledger_drafts.start(me.id, PURPOSES[form], services.clock.now())
    await _ask(update, context, me, draft, form, first, new=True)


def _empty_pot(tr: Translator) -> str:
    return tr.gettext(
        "The community pot is empty at the moment, so there's nothing to give. When members "
        "donate credits to the pot, you can share them out here."
    )


# --- choosing members ------------------------------------------------------------------------


def _pick_problem(
    tr: Translator, me: Member, draft: LedgerDraft, form: Form, step: str, other: Member | None
) -> str | None:
    """Why this member can't be chosen for the step, kindly; None if they can."""
    _ = tr.gettext
    if other is None or other.status not in CHOOSABLE[form]:
        return _(
            "Sorry, {name} isn't an active member at the moment, so I can't do this for them."
        ).format(name=name_of(other, tr))
    if other.id == me.id:
        return _("That's you! Another coordinator will need to do this one for you.")
    if step == TAKER and other.id == draft.other_id:
        return _("The person who helped and the person helped need to be two different people.")
    return None


async def _choose(
    update: Update,
    context: AmserContext,
    me: Member,
    draft: LedgerDraft,
    form: Form,
    step: str,
    other: Member | None,
) -> None:
    services = context.services
    problem = _pick_problem(tr_for(services, me), me, draft, form, step, other)
    if problem is not None or other is None:
        await _ask(update, context, me, draft, form, step, note=problem, new=True)
        return
    values: dict[str, object] = {"second_id": other.id} if step == TAKER else {"other_id": other.id}
    if step == GIVER and draft.second_id == other.id:
        values["second_id"] = None
    if form is Form.REVERSE:
        values["transfer_id"] = None
    draft = await services.ledger_drafts.set(draft.id, services.clock.now(), **values)
    await _ask(update, context, me, draft, form, next_step(form, step))


async def _search(
    update: Update,
    context: AmserContext,
    me: Member,
    draft: LedgerDraft,
    form: Form,
    step: str,
    words: str,
) -> None:
    """Members whose name has the typed words, as buttons; in /record, also "Add"."""
    services = context.services
    assert me.telegram_id is not None
    tr = tr_for(services, me)
    _ = tr.gettext
    b = Buttons(services, me.telegram_id)
    exclude = (me.id, draft.other_id or 0) if step == TAKER else (me.id,)
    found = await services.members.find_by_name(
        words, limit=SHOWN + 1, exclude=exclude, statuses=CHOOSABLE[form]
    )
    rows: list[Row] = [
        [b(label(m, tr), "cc", form, "who", draft.id, step, m.id)] for m in found[:SHOWN]
    ]
    if not found and form is not Form.RECORD:
        itself = await services.members.find_by_name(words, limit=1)
        note = (
            _("That's you! Another coordinator will need to do this one for you.")
            if itself and itself[0].id == me.id
            else _nobody(tr, form, words)
        )
        await _ask(update, context, me, draft, form, step, note=note, new=True)
        return
    if found:
        text = _("Who do you mean? Tap their name, or type another name.")
        if len(found) > SHOWN:
            text += "\n" + _("If you can't see them, type more of their name.")
    else:
        text = _nobody(tr, form, words)
    same = any((m.display_name or "").casefold() == words.casefold() for m in found)
    if form is Form.RECORD:  # "Add" reads the name from the step: only this search's name
        if not same:
            add = _("➕ Add “{name}” as a member who isn't on Telegram").format(name=words)
            rows.append([b(add, "cc", form, "add", draft.id, step)])
        typed = f"{STEP}:{form}:{step}" + ("" if same else f":{words}")
        await services.members.update(me.id, services.clock.now(), step=typed)
    await say(
        update,
        context,
        Screen(text, keyboard(*rows, control_row(services, b, tr, draft, form, step))),
    )


def _nobody(tr: Translator, form: Form, words: str) -> str:
    if form is Form.REVERSE:  # suspended members are found too
        text = tr.gettext(
            "I couldn't find a member whose name has “{words}” in it. Please check the "
            "spelling, or type just part of the name."
        )
    else:
        text = tr.gettext(
            "I couldn't find an active member whose name has “{words}” in it. Please check the "
            "spelling, or type just part of the name."
        )
    return text.format(words=escape(words))


async def _add(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, step: str
) -> None:
    """/record: a new member who isn't on Telegram, named as the coordinator typed."""
    services = context.services
    prefix = f"{STEP}:{Form.RECORD}:{step}:"
    words = (me.step or "")[len(prefix) :] if (me.step or "").startswith(prefix) else ""
    if not words:  # a second tap, or a button from an earlier search: nothing to add
        await _ask(
            update, context, me, draft, Form.RECORD, missing_step(Form.RECORD, draft) or REVIEW
        )
        return
    added = await services.members.add_offline(words, me.language, services.clock.now())
    await _choose(update, context, me, draft, Form.RECORD, step, added)


# --- typed answers ---------------------------------------------------------------------------


async def handle_input(update: Update, context: AmserContext, member: Member) -> None:
    """A typed answer to the step the coordinator is on."""
    me = await _coordinator(update, context)
    if me is None:
        return
    services = context.services
    assert update.message is not None
    tr = tr_for(services, me)
    _prefix, letter, step, *_words = [*(me.step or "").split(":", 3), "", ""]
    form = form_of(letter)
    draft = await services.ledger_drafts.get(me.id, PURPOSES[form]) if form else None
    steps = steps_for(services.config, form) if form else ()
    if form is None or draft is None or draft.sent_transfer_id or step not in steps:
        await services.members.update(me.id, services.clock.now(), step=None)
        await say(update, context, _closed(tr))
        return
    if step in (SOURCE, REVIEW):
        note = tr.gettext("Please tap one of the buttons below.")
        await _ask(update, context, me, draft, form, step, note=note, new=True)
        return
    step = NAME if step == LIST else step  # a name typed under the list: search again
    limits = {NOTE: NOTE_MAX, REASON: REASON_MAX, MINUTES: TYPED_MAX, DAY: TYPED_MAX}
    limit = limits.get(step, NAME_MAX)
    text, problem = typed_answer(update.message, tr, limit, one_line=True)
    if problem is not None or text is None:
        await _ask(update, context, me, draft, form, step, note=problem, new=True)
        return
    if step in SEARCHES:
        await _search(update, context, me, draft, form, step, text)
        return
    now = services.clock.now()
    if step == MINUTES:
        minutes, problem = typed_minutes(tr, text, services.config.max_exchange_minutes)
        if minutes is not None and _from_pot(form, draft):
            problem = await _pot_problem(services, tr, minutes)
        if problem is not None or minutes is None:
            await _ask(update, context, me, draft, form, step, note=problem, new=True)
            return
        draft = await services.ledger_drafts.set(draft.id, now, minutes=minutes)
    elif step == DAY:
        # A coordinator may record further back than the year members can.
        day, problem = typed_day(tr, text, today(services), long_ago=True)
        if problem is not None or day is None:
            await _ask(update, context, me, draft, form, step, note=problem, new=True)
            return
        draft = await services.ledger_drafts.set(draft.id, now, happened_on=day)
    else:
        draft = await services.ledger_drafts.set(draft.id, now, note=text)
    await _ask(update, context, me, draft, form, next_step(form, step), new=True)


def _from_pot(form: Form, draft: LedgerDraft) -> bool:
    """A grant from the community pot, which can't give more than it holds."""
    return form is Form.GRANT and draft.organisation is None


async def _pot_problem(services: Services, tr: Translator, minutes: int) -> str | None:
    pot = (await services.ledger.pot()).balance
    if minutes <= pot:
        return None
    return tr.gettext("The community pot holds {pot}, so please choose that much or less.").format(
        pot=hours_words(tr, pot)
    )


def _closed(tr: Translator) -> Screen:
    return Screen(
        tr.gettext("That form has closed. Send /grant, /record or /reverse to start again.")
    )


# --- buttons ---------------------------------------------------------------------------------


async def on_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    me = await _coordinator(update, context)
    form = form_of(parts[0]) if parts else None
    if me is None or form is None or len(parts) < 3 or not parts[2].isdigit():
        return
    services = context.services
    tr = tr_for(services, me)
    action, rest = parts[1], parts[3:]
    draft = await services.ledger_drafts.by_id(int(parts[2]))
    if draft is None or draft.member_id != me.id or draft.purpose is not PURPOSES[form]:
        await show(update, context, _closed(tr))
        return
    if action == "send":
        await SENDERS[form](update, context, me, draft)
        return
    if draft.sent_transfer_id is not None:
        await show(update, context, _closed(tr))
        return
    await _act(update, context, me, draft, form, action, rest)


async def _act(
    update: Update,
    context: AmserContext,
    me: Member,
    draft: LedgerDraft,
    form: Form,
    action: str,
    rest: list[str],
) -> None:
    services = context.services
    tr = tr_for(services, me)
    now = services.clock.now()
    value = rest[0] if rest else ""
    number = int(rest[-1]) if rest and rest[-1].isdigit() else None
    steps = steps_for(services.config, form)
    if action == "stop":
        await services.ledger_drafts.discard(me.id, PURPOSES[form])
        await _leave(services, me, form)
        await show(update, context, Screen(tr.gettext("Okay, nothing has changed.")))
    elif action == "back" and value in steps[1:]:
        await _ask(update, context, me, draft, form, steps[steps.index(value) - 1])
    elif action == "from" and SOURCE in steps:
        await _pick_source(update, context, me, draft, value)
    elif action == "who" and value in steps and value in SEARCHES and number is not None:
        await _choose(update, context, me, draft, form, value, await services.members.get(number))
    elif action == "add" and form is Form.RECORD and value in (GIVER, TAKER):
        await _add(update, context, me, draft, value)
    elif action == "min" and MINUTES in steps and number is not None:
        await _pick_minutes(update, context, me, draft, form, number)
    elif action == "mpg" and MINUTES in steps and number is not None:
        await _ask(update, context, me, draft, form, MINUTES, page=number)
    elif action == "day" and DAY in steps and (day := day_from_token(value)) is not None:
        if day_problem(day, today(services)) is DayProblem.FUTURE:
            await _ask(update, context, me, draft, form, DAY)
            return
        draft = await services.ledger_drafts.set(draft.id, now, happened_on=day)
        await _ask(update, context, me, draft, form, NOTE)
    elif action == "dayt" and DAY in steps:
        await _ask_for_typed_day(update, context, me, draft, form)
    elif action == "skip" and NOTE in steps:
        draft = await services.ledger_drafts.set(draft.id, now, note=None)
        await _ask(update, context, me, draft, form, REVIEW)
    elif action == "keep" and draft.note:
        await _ask(update, context, me, draft, form, REVIEW)
    elif action == "list" and LIST in steps and number is not None and draft.other_id:
        await _ask(update, context, me, draft, form, LIST, page=number)
    elif action == "pick" and LIST in steps and number is not None:
        await _pick_transfer(update, context, me, draft, number)


async def _pick_source(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, value: str
) -> None:
    """/grant: the community pot, or an organisation by its place in the configured list,
    looked up again now (a forged button, or one from before the list changed, is refused)."""
    services = context.services
    tr = tr_for(services, me)
    organisations = services.config.organisations
    if value == POT and (await pot_most(services))[1] < QUARTER_HOUR:
        await _ask(update, context, me, draft, Form.GRANT, SOURCE, note=_empty_pot(tr))
        return
    if value != POT and not (value.isdigit() and int(value) < len(organisations)):
        note = tr.gettext("That organisation isn't on the list any more. Please choose again.")
        await _ask(update, context, me, draft, Form.GRANT, SOURCE, note=note)
        return
    organisation = None if value == POT else organisations[int(value)]
    draft = await services.ledger_drafts.set(
        draft.id, services.clock.now(), organisation=organisation
    )
    await _ask(update, context, me, draft, Form.GRANT, NAME)


async def _pick_minutes(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, form: Form, minutes: int
) -> None:
    services = context.services
    tr = tr_for(services, me)
    if minutes_problem(minutes, services.config.max_exchange_minutes) is not None:
        await _ask(update, context, me, draft, form, MINUTES)
        return
    problem = await _pot_problem(services, tr, minutes) if _from_pot(form, draft) else None
    if problem is not None:
        await _ask(update, context, me, draft, form, MINUTES, note=problem)
        return
    draft = await services.ledger_drafts.set(draft.id, services.clock.now(), minutes=minutes)
    await _ask(update, context, me, draft, form, next_step(form, MINUTES))


async def _ask_for_typed_day(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, form: Form
) -> None:
    services = context.services
    assert me.telegram_id is not None
    tr = tr_for(services, me)
    text = tr.gettext("Please type the date the help was given, like {example}.").format(
        example=today(services).strftime("%d/%m/%Y")
    )
    b = Buttons(services, me.telegram_id)
    await services.members.update(me.id, services.clock.now(), step=f"{STEP}:{form}:{DAY}")
    await show(
        update, context, Screen(text, keyboard(control_row(services, b, tr, draft, form, DAY)))
    )


def _reverse_problem(
    tr: Translator, me: Member, transfer: Transfer | None, member_id: int | None
) -> str | None:
    """Why this transfer can't be undone from this form, kindly; None if it can. Whether the
    pot can give back a gift is checked when undoing it, in the same transaction."""
    _ = tr.gettext
    if transfer is not None and transfer.state is State.REVERSED:
        return _already_undone(tr)
    if (
        transfer is None
        or member_id is None
        or not transfer.involves(member_id)
        or transfer.state is not State.CONFIRMED
        or transfer.kind is Kind.REVERSAL
    ):
        return _("That transfer can't be undone any more. Please choose another.")
    if transfer.involves(me.id):
        return _("That's yours! Another coordinator will need to undo it for you.")
    return None


def _already_undone(tr: Translator) -> str:
    return tr.gettext("That transfer has already been undone, so nothing more has changed.")


async def _pick_transfer(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, transfer_id: int
) -> None:
    services = context.services
    transfer = await services.ledger.get(transfer_id)
    note = _reverse_problem(tr_for(services, me), me, transfer, draft.other_id)
    if note is not None or transfer is None:
        await _ask(update, context, me, draft, Form.REVERSE, LIST, note=note)
        return
    draft = await services.ledger_drafts.set(
        draft.id, services.clock.now(), transfer_id=transfer.id
    )
    await _ask(update, context, me, draft, Form.REVERSE, REASON)


# --- sending ---------------------------------------------------------------------------------


async def _ready(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, form: Form
) -> bool:
    """Everything answered, and everyone named still able to take part; else ask again."""
    services = context.services
    tr = tr_for(services, me)
    if draft.sent_transfer_id is not None:  # a double tap or a re-delivered press
        await show(
            update, context, Screen(tr.gettext("This has already been dealt with. Thank you!"))
        )
        return False
    missing = missing_step(form, draft)
    if missing is not None:
        await _ask(update, context, me, draft, form, missing, new=True)
        return False
    picks = [(ORDER[form][0], draft.other_id)] + (
        [(TAKER, draft.second_id)] if form is Form.RECORD else []
    )
    for step, member_id in picks:
        problem = _pick_problem(tr, me, draft, form, step, await services.members.get(member_id))
        if problem is not None:
            await _ask(update, context, me, draft, form, step, note=problem, new=True)
            return False
    return True


async def _finish(
    update: Update,
    context: AmserContext,
    me: Member,
    draft: LedgerDraft,
    transfer_id: int,
    lines: list[str],
    notices: list[tuple[Member, Screen]],
) -> None:
    """Close the form on its transfer, tell the members, and show the coordinator all that."""
    services = context.services
    await services.ledger_drafts.mark_sent(draft.id, transfer_id, services.clock.now())
    await _leave(services, me, PURPOSE_FORMS[draft.purpose])
    lines = [*lines, *await _tell(context, tr_for(services, me), notices)]
    await show(update, context, Screen("\n".join(lines)))


async def _leave(services: Services, me: Member, form: Form) -> None:
    """Stop taking typed answers for this form; another feature's step is left alone."""
    if (me.step or "").startswith(f"{STEP}:{form}:"):
        await services.members.update(me.id, services.clock.now(), step=None)


async def _tell(
    context: AmserContext, tr: Translator, notices: list[tuple[Member, Screen]]
) -> list[str]:
    """Send each member their notice; lines for the coordinator on who heard and who didn't."""
    lines = []
    for member, notice in notices:
        if member.status is Status.ERASED:
            continue
        if await deliver(context, member, notice):
            text = tr.gettext("I've let {name} know.")
        else:
            text = tr.gettext(
                "I couldn't reach {name} on Telegram, so please let them know in person."
            )
        lines.append(text.format(name=name_of(member, tr)))
    return lines


async def _send_grant(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft
) -> None:
    if not await _ready(update, context, me, draft, Form.GRANT):
        return
    if draft.organisation is not None:
        await _send_from_organisation(update, context, me, draft, draft.organisation)
        return
    services = context.services
    tr = tr_for(services, me)
    _ = tr.gettext
    assert draft.other_id is not None and draft.minutes is not None and draft.note is not None
    try:
        made = await services.ledger.grant(
            draft.key,
            me.id,
            draft.other_id,
            draft.minutes,
            draft.note,
            services.clock.now(),
            today(services),
            pot_floor=0,
        )
    except NotEnough as low:
        note = _(
            "The community pot holds {pot} now, which isn't enough for this. Please choose a "
            "smaller amount."
        ).format(pot=hours_words(tr, low.balance))
        await _ask(update, context, me, draft, Form.GRANT, MINUTES, note=note, new=True)
        return
    member = await services.members.get(draft.other_id)
    pot = (await services.ledger.pot()).balance
    lines = [
        _("✅ Done: {name} has been given {hours} from the community pot.").format(
            name=name_of(member, tr), hours=hours_words(tr, draft.minutes)
        ),
        _("The pot now holds {pot}.").format(pot=hours_words(tr, pot)),
    ]
    notices = []
    if made.created and member is not None:  # not when a re-delivered press finds it done
        notices.append((member, await granted(services, me, member, made.transfer)))
    await _finish(update, context, me, draft, made.transfer.id, lines, notices)


async def _send_from_organisation(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft, organisation: str
) -> None:
    """Spice-style credits: the organisation gives, going below zero as it does; no limit but
    the most one exchange may record."""
    services = context.services
    tr = tr_for(services, me)
    _ = tr.gettext
    if organisation not in services.config.organisations:  # the config changed meanwhile
        await services.ledger_drafts.discard(me.id, Purpose.GRANT)
        await _leave(services, me, Form.GRANT)
        text = _(
            "{organisation} isn't one of this time bank's organisations any more, so nothing "
            "has been given. Please start again with /grant."
        )
        await show(update, context, Screen(text.format(organisation=escape(organisation))))
        return
    assert draft.other_id is not None and draft.minutes is not None and draft.note is not None
    now = services.clock.now()
    made = await services.ledger.from_organisation(
        draft.key,
        me.id,
        organisation,
        draft.other_id,
        draft.minutes,
        draft.note,
        now,
        today(services),
    )
    member = await services.members.get(draft.other_id)
    given = -(await services.ledger.organisation(organisation, now)).balance
    values = {"organisation": escape(organisation), "name": name_of(member, tr)}
    lines = [
        _("✅ Done: {name} has been given {hours} from {organisation}.").format(
            hours=hours_words(tr, draft.minutes), **values
        ),
        _("{organisation} has given {hours} in all.").format(
            hours=hours_words(tr, given), **values
        ),
    ]
    notices = []
    if made.created and member is not None:  # not when a re-delivered press finds it done
        notices.append((member, await given_by(services, me, member, made.transfer, organisation)))
    await _finish(update, context, me, draft, made.transfer.id, lines, notices)


async def _send_record(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft
) -> None:
    if not await _ready(update, context, me, draft, Form.RECORD):
        return
    services = context.services
    tr = tr_for(services, me)
    assert draft.other_id and draft.second_id and draft.minutes and draft.happened_on
    made = await services.ledger.record_exchange(
        key=draft.key,
        by_coordinator_id=me.id,
        helped_id=draft.second_id,
        helper_id=draft.other_id,
        minutes=draft.minutes,
        happened_on=draft.happened_on,
        now=services.clock.now(),
        note=draft.note,
    )
    giver, taker = (
        await services.members.get(draft.other_id),
        await services.members.get(draft.second_id),
    )
    values = {
        "giver": name_of(giver, tr),
        "receiver": name_of(taker, tr),
        "hours": hours_words(tr, draft.minutes),
        "day": day_words(tr, draft.happened_on, today(services)),
    }
    lines = [
        tr.gettext("✅ Recorded: {giver} helped {receiver} for {hours}, {day}.").format(**values)
    ]
    notices = []
    for member, other, gave in ((giver, taker, True), (taker, giver, False)):
        if made.created and member is not None:
            notice = await recorded(services, me, member, other, made.transfer, gave=gave)
            notices.append((member, notice))
    await _finish(update, context, me, draft, made.transfer.id, lines, notices)


async def _send_reverse(
    update: Update, context: AmserContext, me: Member, draft: LedgerDraft
) -> None:
    if not await _ready(update, context, me, draft, Form.REVERSE):
        return
    services = context.services
    tr = tr_for(services, me)
    _ = tr.gettext
    assert draft.transfer_id is not None and draft.note is not None
    original = await services.ledger.get(draft.transfer_id)
    problem = _reverse_problem(tr, me, original, draft.other_id)
    if problem is not None or original is None:
        await _ask(update, context, me, draft, Form.REVERSE, LIST, note=problem, new=True)
        return
    try:
        result = await services.ledger.reverse(
            original.id,
            me.id,
            draft.note,
            services.clock.now(),
            happened_on=today(services),
            pot_floor=0,
        )
    except NotEnough as low:
        note = _(
            "The community pot only holds {pot} now, so this gift to it can't be given back."
        ).format(pot=hours_words(tr, low.balance))
        await _ask(update, context, me, draft, Form.REVERSE, LIST, note=note, new=True)
        return
    if result.outcome is not Outcome.DONE:  # another coordinator undid it meanwhile
        await _finish(update, context, me, draft, result.transfer.id, [_already_undone(tr)], [])
        return
    notices = []
    for member_id in (original.from_member_id, original.to_member_id):
        member = await services.members.get(member_id)
        if member is not None:
            notices.append(
                (member, await reversed_notice(services, me, member, original, draft.note))
            )
    lines = [_("↩️ Done: the transfer is undone."), await transfer_summary(services, tr, original)]
    await _finish(update, context, me, draft, result.transfer.id, lines, notices)


SENDERS = {Form.GRANT: _send_grant, Form.RECORD: _send_record, Form.REVERSE: _send_reverse}


# --- wiring ----------------------------------------------------------------------------------


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("grant", grant_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("record", record_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("reverse", reverse_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("cc", on_button))
    app.input_handlers[STEP] = handle_input
