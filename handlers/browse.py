"""/browse: open offers and requests by category and area, newest first, a page at a time."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.listings import Kind
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers.cards import card_text, place_label
from handlers.common import Buttons, Screen, button_handler, keyboard, pairs, say, show
from handlers.details import active_member
from handlers.menu import back_to_menu
from storage.members import Member

COMMANDS = (Command("browse", N_("See what people offer and need")),)

PAGE_SIZE = 5
ALL = "all"
NEAR, EVERYWHERE = "near", "all"
# The last list a member looked at, so a card's Back returns to it (UI state only).
BROWSE_KEY = "browse"


def choose_kind(services: Services, member: Member) -> Screen:
    assert member.telegram_id is not None
    _ = services.catalogs[member.language].gettext
    b = Buttons(services, member.telegram_id)
    return Screen(
        _("What would you like to see?"),
        keyboard(
            [b(_("🤝 Requests for help"), "br", "kind", Kind.REQUEST)],
            [b(_("🙋 Offers of help"), "br", "kind", Kind.OFFER)],
            back_to_menu(services, member),
        ),
    )


def choose_category(services: Services, member: Member, kind: str) -> Screen:
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    choices = [
        b(c.label(tr.language), "br", "list", kind, c.key, NEAR, 0)
        for c in services.config.categories
    ]
    return Screen(
        _("Which kind of help?"),
        keyboard(
            [b(_("Everything"), "br", "list", kind, ALL, NEAR, 0)],
            *pairs(choices),
            [b(_("« Back"), "br", "start")],
        ),
    )


async def listing_page(
    services: Services, member: Member, kind: str, category: str, scope: str, offset: int
) -> Screen:
    assert member.telegram_id is not None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    place = member.area if scope == NEAR else None
    page = await services.listings.browse(
        kind,
        None if category == ALL else category,
        place,
        offset,
        PAGE_SIZE,
        exclude_member=member.id,
    )
    where = (
        _("Near you ({area}) and remote").format(area=place_label(services, member.area, tr))
        if scope == NEAR
        else _("Everywhere")
    )
    heading = _("Requests for help") if kind == Kind.REQUEST else _("Offers of help")
    lines = [f"<b>{heading}</b> · {where}", ""]
    rows = []
    for number, listing in enumerate(page.listings, start=offset + 1):
        lines.append(f"{number}. {card_text(services, listing, tr, None).splitlines()[0]}")
        rows.append([b(f"{number}. {listing.title}", "br", "card", listing.id)])
    if not page.listings:
        lines.append(_("Nothing here at the moment. Why not post one yourself?"))
    moves = []
    if offset > 0:
        moves.append(
            b(_("« Newer"), "br", "list", kind, category, scope, max(offset - PAGE_SIZE, 0))
        )
    if page.has_more:
        moves.append(b(_("Older »"), "br", "list", kind, category, scope, offset + PAGE_SIZE))
    other_scope = EVERYWHERE if scope == NEAR else NEAR
    scope_label = _("Show everywhere") if scope == NEAR else _("Show near me")
    return Screen(
        "\n".join(lines),
        keyboard(
            *rows,
            moves,
            [
                b(scope_label, "br", "list", kind, category, other_scope, 0),
                b(_("Other kinds of help"), "br", "kind", kind),
            ],
            back_to_menu(services, member),
        ),
    )


async def listing_card(services: Services, member: Member, listing_id: int) -> Screen | None:
    assert member.telegram_id is not None
    listing = await services.listings.get(listing_id)
    if listing is None or listing.status != "open":
        return None
    tr = services.catalogs[member.language]
    _ = tr.gettext
    b = Buttons(services, member.telegram_id)
    author = await services.members.get(listing.member_id)
    text = card_text(services, listing, tr, author.display_name if author else None)
    back = [b(_("« Back to the list"), "br", "back")]
    if listing.member_id == member.id:
        return Screen(text, keyboard([b(_("Manage it"), "ml", "card", listing.id)], back))
    respond = _("🙋 I can help") if listing.kind == Kind.REQUEST else _("🙋 I'd like this")
    return Screen(
        text,
        keyboard(
            [b(respond, "in", "start", listing.id)],
            [b(_("🚫 Block this member"), "bl", "ask", "listing", listing.id)],
            back,
        ),
    )


async def browse_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await say(update, context, choose_kind(context.services, member))


async def on_browse_button(update: Update, context: AmserContext, parts: list[str]) -> None:
    services = context.services
    member = await active_member(update, context)
    if member is None:
        return
    action = parts[0] if parts else ""
    if action == "back" and context.user_data.get(BROWSE_KEY):
        parts = ["list", *context.user_data[BROWSE_KEY]]
        action = "list"
    if action == "kind" and len(parts) == 2 and parts[1] in (Kind.OFFER, Kind.REQUEST):
        await show(update, context, choose_category(services, member, parts[1]))
    elif action == "list" and _valid_list(services, parts[1:]):
        kind, category, scope, offset = parts[1], parts[2], parts[3], int(parts[4])
        context.user_data[BROWSE_KEY] = [kind, category, scope, str(offset)]
        await show(
            update, context, await listing_page(services, member, kind, category, scope, offset)
        )
    elif action == "card" and len(parts) == 2 and parts[1].isdigit():
        card = await listing_card(services, member, int(parts[1]))
        if card is None:
            _ = services.catalogs[member.language].gettext
            card = choose_kind(services, member).after(
                _("Sorry, that one has closed or been taken up already.")
            )
        await show(update, context, card)
    else:
        await show(update, context, choose_kind(services, member))


def _valid_list(services: Services, parts: list[str]) -> bool:
    if len(parts) != 4:
        return False
    kind, category, scope, offset = parts
    return (
        kind in (Kind.OFFER, Kind.REQUEST)
        and (category == ALL or services.config.category(category) is not None)
        and scope in (NEAR, EVERYWHERE)
        and offset.isdigit()
    )


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("browse", browse_command, filters.ChatType.PRIVATE))
    app.add_handler(button_handler("br", on_browse_button))
