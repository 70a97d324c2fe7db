"""/unanswered: ambassadors and coordinators see the requests still waiting for a helper and
suggest one; the introduction goes ahead only if both members say yes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import TypeVar

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.i18n import Translator
from handlers import details
from handlers.access import allowed
from handlers.buttons import ButtonData, Buttons, PressHandler, add_presses
from handlers.cards import category_label, place_label
from handlers.common import Screen, current_member, keyboard, say, show, translator, user_id
from handlers.credit_common import button_name, name_of
from handlers.introductions.cards import card_notice
from handlers.introductions.presses import Introduce, Suggest, UnansweredPage
from storage.introductions import Created
from storage.members import Member
from storage.outbox import Notice

PAGE_SIZE = 10
HELPERS_SHOWN = 5

P = TypeVar("P", bound=ButtonData)


async def _broker(update: Update, context: AmserContext) -> tuple[Member | None, Translator] | None:
    """The ambassador or coordinator pressing, checked every time; None if they may not."""
    member = await current_member(update, context)
    tr = translator(update, context, member)
    if not await allowed(update, context, Action.SUGGEST_INTRODUCTION, member):
        return None
    return member, tr


# What a press does for an ambassador or coordinator (their member row, if they have one).
BrokerAct = Callable[[Update, AmserContext, Member | None, Translator, P], Awaitable[None]]


def _for_brokers(act: BrokerAct[P]) -> PressHandler[P]:
    """Handle a press only if the presser is (still) an ambassador or coordinator."""

    async def pressed(update: Update, context: AmserContext, press: P) -> None:
        checked = await _broker(update, context)
        if checked is not None:
            await act(update, context, *checked, press)

    return pressed


async def unanswered_command(update: Update, context: AmserContext) -> None:
    checked = await _broker(update, context)
    if checked is not None:
        await _unanswered_page(update, context, checked[1], 0, new=True)


async def _page(
    update: Update,
    context: AmserContext,
    broker: Member | None,
    tr: Translator,
    press: UnansweredPage,
) -> None:
    await _unanswered_page(update, context, tr, max(press.offset, 0), new=False)


async def _unanswered_page(
    update: Update, context: AmserContext, tr: Translator, offset: int, *, new: bool
) -> None:
    services = context.services
    _ = tr.gettext
    listings, more = await services.introductions.unanswered_requests(offset, PAGE_SIZE)
    if not listings:
        text = _("Every open request has a helper at the moment. Thank you!")
        await (say if new else show)(update, context, Screen(text))
        return
    now = services.clock.now()
    lines = [_("<b>Requests still waiting for a helper</b>, oldest first:"), ""]
    b = Buttons(services, user_id(update))
    rows = []
    for number, listing in enumerate(listings, start=offset + 1):
        days = max(0, (now - listing.created_at).days)
        waiting = tr.ngettext("waiting {count} day", "waiting {count} days", days).format(
            count=days
        )
        lines.append(
            f"{number}. <b>{escape(listing.title)}</b> — "
            f"{escape(category_label(services, listing.category, tr.language))}, "
            f"{escape(place_label(services, listing.place, tr))}, {waiting}"
        )
        label = _("🤝 Suggest a helper for {number}").format(number=number)
        rows.append([b(label, Suggest(listing.id))])
    paging = []
    if offset > 0:
        paging.append(b(_("« Previous"), UnansweredPage(max(0, offset - PAGE_SIZE))))
    if more:
        paging.append(b(_("More »"), UnansweredPage(offset + PAGE_SIZE)))
    await (say if new else show)(update, context, Screen("\n".join(lines), keyboard(*rows, paging)))


async def _suggest(
    update: Update, context: AmserContext, broker: Member | None, tr: Translator, press: Suggest
) -> None:
    services = context.services
    _ = tr.gettext
    b = Buttons(services, user_id(update))
    back = [b(_("« Back to the list"), UnansweredPage(0))]
    listing = await services.listings.get(press.listing)
    if listing is None or listing.status != "open" or listing.kind != "request":
        await show(update, context, Screen(_("This request isn't open any more."), keyboard(back)))
        return
    category = escape(category_label(services, listing.category, tr.language))
    helper_ids = await services.introductions.possible_helpers(listing, HELPERS_SHOWN)
    helpers = [m for m in [await services.members.get(i) for i in helper_ids] if m is not None]
    lines = [
        _("<b>Who could help with</b> “{title}”?").format(title=escape(listing.title)),
        f"{category}, {escape(place_label(services, listing.place, tr))}",
        "",
    ]
    if not helpers:
        lines.append(
            _("Nobody who offers {category} can be introduced for this at the moment.").format(
                category=category
            )
        )
        await show(update, context, Screen("\n".join(lines), keyboard(back)))
        return
    for helper in helpers:
        lines.append(
            f"• <b>{name_of(helper, tr)}</b> — "
            f"{escape(details.area_label(services, helper, tr))}: "
            f"{escape(details.offers_label(services, helper, tr))}"
        )
    lines += ["", _("Tap someone to ask them both whether they'd like to be introduced.")]
    rows = [
        [
            b(
                _("Introduce {name}").format(name=button_name(helper, tr)),
                Introduce(listing.id, helper.id),
            )
        ]
        for helper in helpers
    ]
    await show(update, context, Screen("\n".join(lines), keyboard(*rows, back)))


async def _introduce(
    update: Update, context: AmserContext, broker: Member | None, tr: Translator, press: Introduce
) -> None:
    services = context.services
    _ = tr.gettext
    if broker is None or broker.status is not Status.ACTIVE:
        text = _("Please finish joining first with /start, so members can see who introduced them.")
        await say(update, context, Screen(text))
        return
    listing = await services.listings.get(press.listing)
    owner = await services.members.get(listing.member_id) if listing else None
    helper = await services.members.get(press.helper)
    if (
        listing is None
        or listing.status != "open"
        or listing.kind != "request"
        or owner is None
        or owner.status is not Status.ACTIVE
        or helper is None
        or helper.status is not Status.ACTIVE
        or helper.id == owner.id
        or await services.blocks.is_blocked_either_way(owner.id, helper.id)
    ):
        await show(update, context, Screen(_("Sorry, that introduction isn't possible any more.")))
        return

    def ask_both(made: Created) -> list[Notice]:
        if not made.created:
            return []
        return [card_notice(made.introduction, member.id) for member in (owner, helper)]

    made = await services.introductions.create(
        listing.id, owner.id, helper.id, services.clock.now(), brokered_by=broker.id, then=ask_both
    )
    if not made.created:
        text = _("{name} has already been put in touch about this request.")
        await show(update, context, Screen(text.format(name=name_of(helper, tr))))
        return
    text = _(
        "Thank you! I've asked {owner} and {helper} whether they'd like to be introduced. "
        "Nothing happens unless they both say yes."
    ).format(owner=name_of(owner, tr), helper=name_of(helper, tr))
    await show(update, context, Screen(text))


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("unanswered", unanswered_command, filters.ChatType.PRIVATE))
    add_presses(
        app,
        {
            UnansweredPage: _for_brokers(_page),
            Suggest: _for_brokers(_suggest),
            Introduce: _for_brokers(_introduce),
        },
    )
