"""/start: the Active Offer (Cymraeg / English), consent, the join form, pausing with /cancel
and carrying on, and the kind reminder a day after a member stopped half-way."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import LANGUAGE_KEY, LANGUAGE_NAMES
from handlers import details, forms
from handlers.buttons import ButtonData, Buttons, add_presses, refuse
from handlers.common import (
    Screen,
    current_member,
    keyboard,
    say,
    show,
    tr_for,
    translator,
    user_id,
)
from handlers.forms import Form, Turn
from handlers.joining.questions import (
    REMINDER_KIND,
    STEPS,
    JoinAnswers,
    finish_joining,
    joined_already,
    schedule_join_reminder,
)
from handlers.landing import LANDING_KEY, land, payload_of
from handlers.language import set_language
from handlers.menu import main_menu
from handlers.notices import Recipient, register_notice
from storage.barred import BarredFromJoining
from storage.due_work import DueItem
from storage.effects import Effect
from storage.members import Member
from storage.outbox import Notice, OutboxItem

REMINDER = "joining.reminder"
COMMANDS = (Command("cancel", N_("Stop what you're doing (nothing is lost)")),)

WELCOME_BACK = N_("Welcome back! Let's carry on.")


class ChooseLanguage(ButtonData, prefix="ob:lang"):
    language: str


class Agree(ButtonData, prefix="ob:agree"):
    pass


class Decline(ButtonData, prefix="ob:decline"):
    pass


class BackToLanguages(ButtonData, prefix="ob:back"):
    pass


class Resume(ButtonData, prefix="ob:resume"):
    pass


# --- screens -----------------------------------------------------------------------------------


def language_screen(services: Services, telegram_id: int) -> Screen:
    """The Active Offer: the very first screen, in Welsh and in English."""
    text = services.catalogs.in_both(
        N_("Welcome to {community}! Which language would you like?"),
        community=escape(services.config.community_name),
    )
    b = Buttons(services, telegram_id)
    return Screen(
        text,
        keyboard([b(LANGUAGE_NAMES[code], ChooseLanguage(code)) for code in ("cy", "en")]),
    )


def barred_screen(services: Services, telegram_id: int) -> Screen:
    """An account banned and then erased: it can't join again (never why), and whom to ask."""
    text = services.catalogs.in_both(
        N_(
            "I'm sorry, but you can't join {community} this time. If you think this is a "
            "mistake, you can ask one of its coordinators to look at it again: give them this "
            "number, {number}, so they can find it."
        ),
        community=escape(services.config.community_name),
        number=telegram_id,
    )
    return Screen(text)


def consent_screen(services: Services, language: str, telegram_id: int) -> Screen:
    _ = services.catalogs[language].gettext
    text = _(
        "<b>Before we start</b>\n"
        "To put you in touch with neighbours, {community} keeps:\n"
        "• the name you'd like to be known by (it doesn't need to be your real name)\n"
        "• your rough area\n"
        "• what you could offer, and what matters to you, if you tell us\n\n"
        "We use these only to run the time bank. Coordinators can see them; other members see "
        "your name, area and offers. You can see everything we hold with /mydata and erase it "
        "with /forget at any time.\n\n"
        "Is that all right with you?"
    ).format(community=escape(services.config.community_name))
    b = Buttons(services, telegram_id)
    return Screen(
        text,
        keyboard(
            # TRANSLATORS: Welsh has no one word for "yes" (an answer echoes the verb), so the
            # Welsh says "Iawn, rwy'n cytuno" (OK, I agree).
            [b(_("✅ Yes, I agree"), Agree()), b(_("No, thanks"), Decline())],
            [b(_("« Back"), BackToLanguages())],
        ),
    )


def paused_screen(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
    text = _(
        "Joining is paused. Everything you've told us so far is kept, so you can carry on "
        "where you left off whenever you like."
    )
    return Screen(text, _carry_on_joining(services, member))


def _carry_on_joining(services: Services, member: Member) -> InlineKeyboardMarkup:
    _ = tr_for(services, member).gettext
    return keyboard([Buttons(services, member.telegram_id or 0)(_("Carry on joining"), Resume())])


# --- the join form -----------------------------------------------------------------------------


async def _joiner(update: Update, context: AmserContext) -> Member | None:
    """Whoever answers joining's questions; answering one carries on after a pause."""
    services = context.services
    member = await current_member(update, context)
    if member is not None and member.status is Status.JOINING and member.paused:
        member = await services.members.update(member.id, services.clock.now(), paused=False)
    return member


async def _back_to_consent(turn: Turn[JoinAnswers]) -> None:
    screen = consent_screen(turn.services, turn.member.language, user_id(turn.update))
    await turn.close(screen)


async def _pause(turn: Turn[JoinAnswers]) -> None:
    """/cancel while joining: everything said so far is kept, and /start carries on."""
    await pause(turn.update, turn.context, turn.member)


JOIN = Form(
    name="join",
    command="start",
    answers=JoinAnswers,
    who=_joiner,
    steps=STEPS,
    complete=finish_joining,
    back_out=_back_to_consent,
    cancel=_pause,
    cancel_button=False,
    finished=joined_already,
    resume_note=lambda tr: tr.gettext(WELCOME_BACK),
)


async def pause(update: Update, context: AmserContext, member: Member) -> None:
    services = context.services
    member = await services.members.update(member.id, services.clock.now(), paused=True)
    screen = paused_screen(services, member)
    await (say if update.callback_query is None else show)(update, context, screen)


async def carry_on(
    update: Update,
    context: AmserContext,
    member: Member,
    *,
    note: str | None = None,
    new: bool,
) -> None:
    """Back to joining where the member was (or its first question), no longer paused."""
    services = context.services
    if member.paused:
        member = await services.members.update(member.id, services.clock.now(), paused=False)
    if note is None:
        note = tr_for(services, member).gettext(WELCOME_BACK)
    turn = await forms.current(update, context, member)
    if turn is None or turn.spec.name != JOIN.name:
        await forms.start(update, context, member, JOIN, note=note)
        return
    await turn.ask(note=note, new=new)


async def _where_they_were(
    update: Update, context: AmserContext, member: Member, *, new: bool
) -> None:
    """Wherever the member is, take them there: their question, the wait, or the menu."""
    if member.status is Status.JOINING:
        await carry_on(update, context, member, new=new)
    elif member.status is Status.ACTIVE:
        if new and await forms.resume(update, context, member):
            return
        await (say if new else show)(update, context, main_menu(context.services, member))
    else:
        await details.active_member(update, context)


async def _follow_link(update: Update, context: AmserContext, member: Member, payload: str) -> bool:
    """/start from a link: an active member lands where it points; one still joining keeps
    it for the end of joining (False: carry on as without a link)."""
    if member.status is Status.ACTIVE:
        return await land(update, context, member, payload)
    if member.status is Status.JOINING:
        turn = await forms.current(update, context, member)
        if turn is not None and turn.spec.name == JOIN.name:
            await turn.save(landing=payload)
    return False


# --- /start and its buttons --------------------------------------------------------------------


async def start(update: Update, context: AmserContext) -> None:
    member = await current_member(update, context)
    payload = payload_of(context)
    if member is not None:
        if payload is not None and await _follow_link(update, context, member, payload):
            return
        await _where_they_were(update, context, member, new=True)
        return
    services = context.services
    if await services.barred.barred(user_id(update)):
        await say(update, context, barred_screen(services, user_id(update)))
        return
    if payload is not None:
        context.user_data[LANDING_KEY] = payload  # memory only until they agree
    language = context.user_data.get(LANGUAGE_KEY)
    if language:
        await say(update, context, consent_screen(services, language, user_id(update)))
    else:
        await say(update, context, language_screen(services, user_id(update)))


async def on_choose_language(update: Update, context: AmserContext, press: ChooseLanguage) -> None:
    if press.language not in LANGUAGE_NAMES:
        await refuse(update, context)
        return
    member = await current_member(update, context)
    if member is not None:
        member = await set_language(context, member, press.language)
        await _where_they_were(update, context, member, new=False)
        return
    context.user_data[LANGUAGE_KEY] = press.language
    await show(update, context, consent_screen(context.services, press.language, user_id(update)))


async def on_agree(update: Update, context: AmserContext, press: Agree) -> None:
    services = context.services
    member = await current_member(update, context)
    if member is not None:  # a second tap, or consent again after « Back
        await _where_they_were(update, context, member, new=False)
        return
    language = str(
        context.user_data.get(LANGUAGE_KEY) or translator(update, context, None).language
    )
    try:
        member = await services.members.join(user_id(update), language, services.clock.now())
    except BarredFromJoining:  # a screen shown before the ban and the erasure
        await show(update, context, barred_screen(services, user_id(update)))
        return
    context.user_data.pop(LANGUAGE_KEY, None)
    landing = context.user_data.pop(LANDING_KEY, None)
    await schedule_join_reminder(services, member)
    await forms.start(update, context, member, JOIN, JoinAnswers(landing=landing))


async def on_decline(update: Update, context: AmserContext, press: Decline) -> None:
    services = context.services
    member = await current_member(update, context)
    if member is not None and member.status is not Status.JOINING:
        await _where_they_were(update, context, member, new=True)
        return
    _ = translator(update, context, member).gettext
    if member is not None:
        await services.members.erase(member.id, services.clock.now())
    context.user_data.pop(LANGUAGE_KEY, None)
    text = _(
        "That's fine. We haven't kept anything about you. "
        "If you change your mind, just send /start."
    )
    await show(update, context, Screen(text))


async def on_back_to_languages(
    update: Update, context: AmserContext, press: BackToLanguages
) -> None:
    member = await current_member(update, context)
    if member is None:
        await show(update, context, language_screen(context.services, user_id(update)))
        return
    await _where_they_were(update, context, member, new=member.status is not Status.JOINING)


async def on_resume(update: Update, context: AmserContext, press: Resume) -> None:
    member = await current_member(update, context)
    if member is None:
        await say(update, context, language_screen(context.services, user_id(update)))
        return
    await _where_they_were(update, context, member, new=False)


# --- /cancel -----------------------------------------------------------------------------------


async def cancel(update: Update, context: AmserContext) -> None:
    """Leave whatever form the member is in; joining pauses; otherwise nothing to cancel."""
    services = context.services
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        context.user_data.pop(LANGUAGE_KEY, None)
        text = _("No problem. Nothing has been saved. Send /start whenever you're ready.")
        await say(update, context, Screen(text))
    elif await forms.cancel(update, context, member):
        return
    elif member.status is Status.JOINING:
        await pause(update, context, member)
    elif member.status is Status.ACTIVE:
        screen = main_menu(services, member).after(_("There's nothing to cancel."))
        await say(update, context, screen)
    else:
        await details.active_member(update, context)


# --- the reminder ------------------------------------------------------------------------------


async def remind_to_finish(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    """A day after a member stopped half-way: a kind nudge with a button to carry on."""
    return [Notice(REMINDER, member_id=item.member_id)]


async def _render_reminder(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    if member is None or member.status is not Status.JOINING:
        return None  # joined (or left) meanwhile
    _ = recipient.tr.gettext
    text = _(
        "Hello again! You were part-way through joining {community}. "
        "Would you like to carry on? It only takes a minute, and everything you told us is kept."
    ).format(community=escape(services.config.community_name))
    return Screen(text, _carry_on_joining(services, member))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("start", start, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("cancel", cancel, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            ChooseLanguage: on_choose_language,
            Agree: on_agree,
            Decline: on_decline,
            BackToLanguages: on_back_to_languages,
            Resume: on_resume,
        },
    )
    forms.register(app, JOIN)
    app.due_work_runner.register(REMINDER_KIND, remind_to_finish)
    register_notice(app, REMINDER, _render_reminder)
