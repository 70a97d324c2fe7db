"""Coordinators' tools: approving the members who are waiting to join."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import wellbeing
from handlers.access import allowed
from handlers.audit.log import audited, by
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, keyboard, say, show, tr_for, user_id
from handlers.credit_common import hours_words, today
from handlers.details import area_label, offers_label
from handlers.landing import start_link
from handlers.menu import main_menu, welcome
from handlers.notices import Recipient, register_notice
from storage.audit import AuditAction, AuditEntry
from storage.members import Member
from storage.outbox import Notice, OutboxItem
from storage.staff import StaffRole

COMMANDS = (Command("pending", N_("New members waiting to join"), Action.APPROVE_MEMBERS),)
LIST_LIMIT = 10
JOIN_CARD = "joining.card"  # to coordinators: someone would like to join
WELCOMED = "joining.welcome"  # to a member just approved, then their menu
MENU = "joining.menu"
DECLINED = "joining.declined"  # to someone not approved, by Telegram id (they are erased)


class ShowPending(ButtonData, prefix="adm:pending"):
    pass


class Approve(ButtonData, prefix="adm:approve"):
    member: int


class Decline(ButtonData, prefix="adm:decline"):
    member: int


def admin_language(services: Services, member: Member | None) -> str:
    return member.language if member is not None else "en"


def applicant_card(services: Services, applicant: Member, admin_id: int, language: str) -> Screen:
    """Who is asking to join, with Approve and Decline for this coordinator."""
    tr = services.catalogs[language]
    _ = tr.gettext
    offers = offers_label(services, applicant, tr)
    text = "\n".join(
        [
            _("<b>Someone would like to join</b>"),
            _("Name: {name}").format(name=escape(applicant.display_name or "—")),
            _("Area: {area}").format(area=escape(area_label(services, applicant, tr))),
            _("Could offer: {offers}").format(offers=escape(offers)),
            _("In their words: {text}").format(text=escape(applicant.offers_text or "—")),
        ]
    )
    b = Buttons(services, admin_id)
    return Screen(
        text,
        keyboard(
            [
                b(_("✅ Approve"), Approve(applicant.id)),
                b(_("Decline"), Decline(applicant.id)),
            ]
        ),
    )


async def cards_about(services: Services, applicant_id: int) -> list[Notice]:
    """A card for every coordinator (by Telegram id: they need not be members) saying someone
    is waiting; queued in the write that makes the applicant wait."""
    admins = await services.staff.telegram_ids(StaffRole.ADMIN)
    return [
        Notice(
            JOIN_CARD,
            chat_id=admin_id,
            about=applicant_id,
            data={"from": applicant_id},  # their words: erasing them takes the card too
            key=f"join-card:{applicant_id}:{admin_id}",
        )
        for admin_id in admins
    ]


async def _render_card(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    applicant = await services.members.get(item.about)
    if applicant is None or applicant.status is not Status.PENDING:
        return None  # dealt with already
    language = admin_language(services, recipient.member)
    return applicant_card(services, applicant, recipient.chat_id, language)


async def pending_command(update: Update, context: AmserContext) -> None:
    if await refused(update, context):
        return
    await _list_pending(update, context)


async def _list_pending(update: Update, context: AmserContext) -> None:
    services = context.services
    admin = await services.members.by_telegram_id(user_id(update))
    language = admin_language(services, admin)
    tr = services.catalogs[language]
    waiting = await services.members.with_status(Status.PENDING, limit=LIST_LIMIT)
    if not waiting:
        await say(update, context, Screen(tr.gettext("Nobody is waiting to join at the moment.")))
        return
    count = await services.members.count_with_status(Status.PENDING)
    header = tr.ngettext(
        "{count} person is waiting to join.", "{count} people are waiting to join.", count
    )
    await say(update, context, Screen(header.format(count=count)))
    for applicant in waiting:
        await say(update, context, applicant_card(services, applicant, user_id(update), language))


async def refused(
    update: Update, context: AmserContext, action: Action = Action.APPROVE_MEMBERS
) -> bool:
    """Checked on every command and button: only coordinators may act (they need not have
    joined)."""
    return not await allowed(update, context, action)


async def on_show_pending(update: Update, context: AmserContext, press: ShowPending) -> None:
    if not await refused(update, context):
        await _list_pending(update, context)


async def _applicant(
    update: Update, context: AmserContext, member_id: int
) -> tuple[Member, Translator] | None:
    """The applicant a coordinator's button names, if the presser is a coordinator and the
    applicant is still waiting (else they are told why not)."""
    if await refused(update, context):
        return None
    services = context.services
    admin = await services.members.by_telegram_id(user_id(update))
    tr = services.catalogs[admin_language(services, admin)]
    applicant = await services.members.get(member_id)
    if applicant is None or applicant.status is not Status.PENDING:
        await show(
            update, context, Screen(tr.gettext("This has already been dealt with. Thank you!"))
        )
        return None
    return applicant, tr


async def on_approve(update: Update, context: AmserContext, press: Approve) -> None:
    if (found := await _applicant(update, context, press.member)) is None:
        return
    applicant, tr = found
    services = context.services
    starter = max(services.config.starter_minutes, 0)
    admin = await services.members.by_telegram_id(user_id(update))
    entry = AuditEntry(
        AuditAction.APPROVE,
        admin.id if admin else None,
        applicant.id,
        details=by(admin, user_id(update)),
    )
    if await services.members.set_status_if(
        applicant.id,
        Status.PENDING,
        Status.ACTIVE,
        services.clock.now(),
        then=lambda approved: (
            [
                audited(services, entry),
                *_welcome(applicant.id, starter, applicant.landing, context.bot.username),
            ]
            if approved
            else []
        ),
    ):
        await give_starter_credits(services, applicant)
    name = escape(applicant.display_name or "")
    await show(update, context, Screen(tr.gettext("✅ {name} is now a member.").format(name=name)))


async def on_decline(update: Update, context: AmserContext, press: Decline) -> None:
    if (found := await _applicant(update, context, press.member)) is None:
        return
    applicant, tr = found
    services = context.services
    # Erased only while still waiting: a second press, or an approval meanwhile, changes nothing.
    # Told by their Telegram id and language, which erasure forgets.
    told = Notice(DECLINED, chat_id=applicant.telegram_id, data={"language": applicant.language})
    admin = await services.members.by_telegram_id(user_id(update))
    entry = AuditEntry(
        AuditAction.DECLINE,
        admin.id if admin else None,
        applicant.id,
        details=by(admin, user_id(update)),
    )
    await services.members.erase(
        applicant.id,
        services.clock.now(),
        only_if=Status.PENDING,
        then=lambda erased: [audited(services, entry), told] if erased else [],
    )
    text = tr.gettext("{name} was not approved, and their details have been erased.")
    await show(update, context, Screen(text.format(name=escape(applicant.display_name or ""))))


async def give_starter_credits(services: Services, member: Member) -> int:
    """Starter credits for a new member, once whatever happens (the key is theirs); returns
    the minutes given now, 0 if none are configured or they were given before."""
    minutes = services.config.starter_minutes
    if minutes <= 0:
        return 0
    given = await services.ledger.give_starter_credits(
        member.id, minutes, services.clock.now(), happened_on=today(services)
    )
    return given.transfer.amount if given.created else 0


def welcome_member(services: Services, member: Member, starter_minutes: int) -> Screen:
    """The welcome for someone who has just become a member, with the starter credits given,
    and the offer of the wellbeing questions under it."""
    screen = welcome(services, member)
    if starter_minutes <= 0:
        return wellbeing.with_consent_offer(services, member, screen)
    tr = tr_for(services, member)
    starter = tr.gettext(
        "You've been given {hours} of starter credits to get going. Everyone has something "
        "to give, so when you help someone, you'll earn more."
    ).format(hours=hours_words(tr, starter_minutes))
    return wellbeing.with_consent_offer(
        services, member, Screen(f"{screen.text}\n\n{starter}", screen.markup)
    )


def _welcome(
    member_id: int, starter_minutes: int, landing: str | None, bot_username: str
) -> list[Notice]:
    """The welcome (saying what starter credits were given, and opening the link they came by)
    and then the main menu."""
    data: dict[str, object] = {"starter": starter_minutes}
    if landing:
        data |= {"landing": landing, "bot": bot_username}
    return [Notice(WELCOMED, member_id=member_id, data=data), Notice(MENU, member_id=member_id)]


async def _render_welcome(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    member = recipient.member
    if member is None or member.status is not Status.ACTIVE:
        return None
    screen = welcome_member(services, member, int(item.data.get("starter", 0)))
    landing, bot_username = item.data.get("landing"), item.data.get("bot")
    if not landing or not bot_username:
        return screen
    # The link they joined by, as a link again: opening it lands them as it would have.
    button = InlineKeyboardButton(
        recipient.tr.gettext("➡️ Go on to what your link showed"),
        url=start_link(str(bot_username), str(landing)),
    )
    rows = [*(screen.markup.inline_keyboard if screen.markup else ()), (button,)]
    return Screen(screen.text, InlineKeyboardMarkup(rows))


async def _render_menu(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    member = recipient.member
    if member is None or member.status is not Status.ACTIVE:
        return None
    return main_menu(services, member)


async def _render_declined(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    _ = services.catalogs[str(item.data.get("language", "en"))].gettext
    text = _(
        "Thank you for wanting to join {community}. A coordinator wasn't able to approve your "
        "membership this time, so we haven't kept your details. If you'd like to talk about it, "
        "please get in touch with your time bank."
    ).format(community=escape(services.config.community_name))
    return Screen(text)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("pending", pending_command, filters.ChatType.PRIVATE))
    add_presses(app, {ShowPending: on_show_pending, Approve: on_approve, Decline: on_decline})
    register_notice(app, JOIN_CARD, _render_card)
    register_notice(app, WELCOMED, _render_welcome)
    register_notice(app, MENU, _render_menu)
    register_notice(app, DECLINED, _render_declined)
