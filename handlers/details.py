"""A member's details (name, area, what they offer, what matters): how they read, the questions
that ask for them (the same when joining and from /profile), and `active_member`, which every
feature asks before it acts."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, Update

from bot.domain.membership import Status, Step
from bot.domain.text import NAME_MAX, SHORT_TEXT_MAX, TextRejected, clean_line
from bot.runtime.context import AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons
from handlers.common import Screen, current_member, keyboard, pairs, say, translator
from storage.members import ELSEWHERE, Member

Row = list[InlineKeyboardButton]


def area_label(services: Services, member: Member, tr: Translator) -> str:
    if member.area == ELSEWHERE:
        return tr.gettext("Somewhere else")
    area = services.config.area(member.area or "")
    return area.label(tr.language) if area else "—"


def offers_label(services: Services, member: Member, tr: Translator) -> str:
    labels = [
        category.label(tr.language)
        for category in services.config.categories
        if category.key in member.offer_categories
    ]
    return ", ".join(labels) or "—"


def known_area(services: Services, key: str) -> bool:
    return key == ELSEWHERE or services.config.area(key) is not None


def pending_text(services: Services, member: Member) -> str:
    _ = services.catalogs[member.language].gettext
    return _(
        "Thank you, {name}! A coordinator will look at your request to join soon, and we'll "
        "message you here. You don't need to do anything else."
    ).format(name=escape(member.display_name or ""))


# --- the questions ------------------------------------------------------------------------------


def suggested_name(update: Update) -> str | None:
    """The member's Telegram first name, if it would do as the name members see."""
    first_name = update.effective_user.first_name if update.effective_user else ""
    try:
        return clean_line(first_name, NAME_MAX)
    except TextRejected:
        return None


def name_question(tr: Translator, b: Buttons, suggestion: str | None, use: ButtonData) -> Screen:
    _ = tr.gettext
    text = _(
        "What name would you like other members to see?\n"
        "It doesn't need to be your full name: a first name or a nickname is fine "
        "(up to {limit} characters). Type it below."
    ).format(limit=NAME_MAX)
    rows = [[b(_("Use “{name}”").format(name=suggestion), use)]] if suggestion else []
    return Screen(text, keyboard(*rows))


def area_question(
    services: Services, member: Member, b: Buttons, pick: Callable[[str], ButtonData]
) -> Screen:
    tr = services.catalogs[member.language]
    _ = tr.gettext
    choices = [
        b(("✓ " if member.area == area.key else "") + area.label(tr.language), pick(area.key))
        for area in services.config.areas
    ]
    elsewhere = ("✓ " if member.area == ELSEWHERE else "") + _("Somewhere else")
    choices.append(b(elsewhere, pick(ELSEWHERE)))
    text = _("Which area are you in? It helps us find people near you.")
    return Screen(text, keyboard(*pairs(choices)))


def offers_question(
    services: Services,
    member: Member,
    b: Buttons,
    toggle: Callable[[str, bool], ButtonData],
    done: ButtonData,
) -> Screen:
    tr = services.catalogs[member.language]
    _ = tr.gettext
    text = _(
        "Everyone has something to give. What could you offer others?\n"
        "Tap all that fit, then tap Done."
    )
    # Each button says what the tap will make true, so a repeated tap changes nothing.
    offered = set(member.offer_categories)
    choices = [
        b(
            ("✓ " if category.key in offered else "") + category.label(tr.language),
            toggle(category.key, category.key not in offered),
        )
        for category in services.config.categories
    ]
    return Screen(text, keyboard(*pairs(choices), [b(_("Done ✅"), done)]))


def words_question(
    tr: Translator,
    member: Member,
    step: Step,
    b: Buttons,
    leave: ButtonData,
    clear: ButtonData | None = None,
) -> Screen:
    """ "In your own words" or "what matters": Skip while joining; when editing, the answer
    now, Keep it as it is, and (given `clear`) Remove it."""
    _ = tr.gettext
    if step is Step.OFFERS_TEXT:
        text = _(
            "Anything else you could offer, in your own words? "
            "For example: “I can help with letters in Welsh”.\n"
            "Type it below (up to {limit} characters), or tap Skip."
        ).format(limit=SHORT_TEXT_MAX)
        current = member.offers_text
    else:
        text = _(
            "Last one, and it's up to you: what matters to you? "
            "For example: meeting people, getting out more, learning something new. "
            "There's no need to tell us anything about your health.\n"
            "Type it below (up to {limit} characters), or tap Skip."
        ).format(limit=SHORT_TEXT_MAX)
        current = member.what_matters
    editing = member.status is not Status.JOINING
    if editing and current:
        text += "\n\n" + _("Now: <i>{text}</i>").format(text=escape(current))
    skip = b(_("Keep it as it is") if editing else _("Skip"), leave)
    removing: Row = [b(_("Remove it"), clear)] if clear is not None and current else []
    return Screen(text, keyboard([skip], removing))


# --- who may use a member's features ----------------------------------------------------------


async def active_member(update: Update, context: AmserContext) -> Member | None:
    """The member if they have finished joining; otherwise tell them where they are."""
    member = await current_member(update, context)
    _ = translator(update, context, member).gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return None
    if member.status is Status.JOINING:
        # Joining asks these details' questions, so it imports this module: looked up here.
        from handlers.joining.start import carry_on

        note = _("Let's finish joining first. Here's where we were:")
        await carry_on(update, context, member, note=note, new=True)
        return None
    if member.status is Status.PENDING:
        await say(update, context, Screen(pending_text(context.services, member)))
        return None
    if member.status is Status.SUSPENDED:
        await say(
            update,
            context,
            Screen(
                _(
                    "Your membership is paused at the moment. A coordinator will be in touch; "
                    "you can still use /privacy, /mydata and /forget."
                )
            ),
        )
        return None
    return member
