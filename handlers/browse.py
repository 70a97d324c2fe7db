"""/browse: open offers and requests by kind, category and area, newest first, a page at a
time, with a card for each. The filters are a form, so they survive a restart and « Back from
a card returns to the same page."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain import N_
from bot.domain.listings import Kind, ListingStatus
from bot.domain.permissions import Action
from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication, AmserContext
from handlers import forms
from handlers.access import member_may
from handlers.buttons import on_press
from handlers.cards import card_text, place_label
from handlers.choices import categories, choices, known_category, picked
from handlers.common import Row, Screen, keyboard, pairs
from handlers.credit_common import button_name
from handlers.details import active_member
from handlers.forms import Form, FormButton, Step, Turn, never
from handlers.introductions.presses import AskBlock, Respond, Target
from handlers.listings.buttons import OpenMine, StartBrowsing, TakeDown
from handlers.menu import main_menu
from handlers.support.buttons import StartReport
from storage.listings import Listing
from storage.reports import ReportAbout

COMMANDS = (Command("browse", N_("See what people offer and need")),)

PAGE_SIZE = 5
ALL = "all"  # every category
NEAR, EVERYWHERE = "near", "all"


@dataclass(frozen=True)
class BrowseAnswers:
    kind: str | None = None
    category: str | None = None  # a category key, or ALL
    scope: str = NEAR  # near the member's area (and remote), or EVERYWHERE


class SeeKind(FormButton, prefix="br:kind"):
    kind: Kind


class SeeCategory(FormButton, prefix="br:cat"):
    key: str  # a category key, or ALL


class SeeWhere(FormButton, prefix="br:where"):
    key: str  # the scope: NEAR or EVERYWHERE


class OtherCategories(FormButton, prefix="br:other"):
    pass


class OpenCard(FormButton, prefix="br:card"):
    listing: int
    page: int  # the list page it was opened from, for « Back


class BackToList(FormButton, prefix="br:list"):
    page: int


class Leave(FormButton, prefix="br:home"):
    pass


Browsing = Turn[BrowseAnswers]


def _leave_row(turn: Browsing) -> Row:
    return [turn.b(turn.gettext("« Back to the menu"), Leave(turn.form.id))]


# --- what to see -------------------------------------------------------------------------------


async def _ask_kind(turn: Browsing) -> Screen:
    _ = turn.gettext
    return Screen(
        _("What would you like to see?"),
        keyboard(
            [turn.b(_("🤝 Requests for help"), SeeKind(turn.form.id, Kind.REQUEST))],
            [turn.b(_("🙋 Offers of help"), SeeKind(turn.form.id, Kind.OFFER))],
            _leave_row(turn),
        ),
    )


async def _kind_picked(turn: Browsing, press: SeeKind) -> None:
    await turn.save(kind=press.kind.value, category=None)
    await turn.next()


async def _ask_category(turn: Browsing) -> Screen:
    _ = turn.gettext
    everything = choices(turn, SeeCategory, [(ALL, _("Everything"))])
    kinds = choices(turn, SeeCategory, categories(turn))
    return Screen(_("Which kind of help?"), keyboard(everything, *pairs(kinds)))


def _a_category(turn: Browsing, key: str) -> bool:
    return key == ALL or known_category(turn, key)


def _near_label(turn: Browsing) -> str:
    area = place_label(turn.services, turn.member.area, turn.tr)
    return turn.gettext("Near you ({area}) and remote").format(area=area)


async def _ask_where(turn: Browsing) -> Screen:
    """Only asked on the way back from the list: it starts near the member."""
    _ = turn.gettext
    scopes = choices(turn, SeeWhere, [(NEAR, _near_label(turn)), (EVERYWHERE, _("Everywhere"))])
    return Screen(_("Where should I look?"), keyboard(*([scope] for scope in scopes)))


def _a_scope(turn: Browsing, key: str) -> bool:
    return key in (NEAR, EVERYWHERE)


# --- the list and its cards ----------------------------------------------------------------------


async def _ask_list(turn: Browsing) -> Screen:
    services, member, tr, answers = turn.services, turn.member, turn.tr, turn.answers
    _ = tr.gettext
    kind = answers.kind or Kind.REQUEST
    near = answers.scope != EVERYWHERE
    page_number = max(turn.page, 0)
    offset = page_number * PAGE_SIZE
    page = await services.listings.browse(
        kind,
        None if answers.category in (None, ALL) else answers.category,
        member.area if near else None,
        offset,
        PAGE_SIZE,
        exclude_member=member.id,
    )
    where = _near_label(turn) if near else _("Everywhere")
    heading = _("Requests for help") if kind == Kind.REQUEST else _("Offers of help")
    lines = [f"<b>{heading}</b> · {where}", ""]
    rows: list[Row] = []
    for number, listing in enumerate(page.listings, start=offset + 1):
        lines.append(f"{number}. {card_text(services, listing, tr, None).splitlines()[0]}")
        open_card = OpenCard(turn.form.id, listing.id, page_number)
        rows.append([turn.b(f"{number}. {listing.title}", open_card)])
    if not page.listings:
        lines.append(_("Nothing here at the moment. Why not post one yourself?"))
    moves = []
    if page_number > 0:
        moves.append(turn.page_button(_("« Newer"), page_number - 1))
    if page.has_more:
        moves.append(turn.page_button(_("Older »"), page_number + 1))
    other_scope = SeeWhere(turn.form.id, EVERYWHERE if near else NEAR)
    return Screen(
        "\n".join(lines),
        keyboard(
            *rows,
            moves,
            [
                turn.b(_("Show everywhere") if near else _("Show near me"), other_scope),
                turn.b(_("Other kinds of help"), OtherCategories(turn.form.id)),
            ],
            _leave_row(turn),
        ),
    )


async def _scope_switched(turn: Browsing, press: SeeWhere) -> None:
    if _a_scope(turn, press.key):
        await turn.save(scope=press.key)
    turn.page = 0
    await turn.ask()


async def _other_categories(turn: Browsing, press: OtherCategories) -> None:
    await turn.go("category")


async def _card_opened(turn: Browsing, press: OpenCard) -> None:
    listing = await turn.services.listings.get(press.listing)
    if listing is None or listing.status != ListingStatus.OPEN:
        turn.page = press.page
        await turn.ask(note=turn.gettext("Sorry, that one has closed or been taken up already."))
        return
    await turn.show(await _card(turn, listing, press.page))


async def _card(turn: Browsing, listing: Listing, page: int) -> Screen:
    services, tr = turn.services, turn.tr
    _ = tr.gettext
    author = await services.members.get(listing.member_id)
    text = card_text(services, listing, tr, button_name(author, tr))
    back = [turn.b(_("« Back to the list"), BackToList(turn.form.id, page))]
    if listing.member_id == turn.member.id:
        return Screen(text, keyboard([turn.b(_("Manage it"), OpenMine(listing.id))], back))
    respond = _("🙋 I can help") if listing.kind == Kind.REQUEST else _("🙋 I'd like this")
    rows = [
        [turn.b(respond, Respond(listing.id))],
        [
            turn.b(_("🚫 Block this member"), AskBlock(Target.LISTING, listing.id)),
            turn.b(_("🚩 Report"), StartReport(ReportAbout.LISTING, listing.id)),
        ],
    ]
    if member_may(services, turn.member, Action.REMOVE_LISTING):
        rows.append([turn.b(_("🗑 Take down"), TakeDown(listing.id))])
    return Screen(text, keyboard(*rows, back))


async def _back_to_list(turn: Browsing, press: BackToList) -> None:
    turn.page = press.page
    await turn.ask()


async def _leave(turn: Browsing, press: Leave | None = None) -> None:
    await turn.close(main_menu(turn.services, turn.member))


BROWSE: Form[BrowseAnswers] = Form(
    name="browse",
    command="browse",
    answers=BrowseAnswers,
    who=active_member,
    steps=(
        Step(
            "kind",
            ask=_ask_kind,
            buttons={SeeKind: _kind_picked, Leave: _leave},
            done=lambda turn: turn.answers.kind is not None,
        ),
        Step(
            "category",
            ask=_ask_category,
            buttons={SeeCategory: picked("category", _a_category)},
            done=lambda turn: turn.answers.category is not None,
        ),
        # Answered from the start (near the member); asked only with « Back from the list.
        Step(
            "scope",
            ask=_ask_where,
            buttons={SeeWhere: picked("scope", _a_scope)},
            done=lambda turn: True,
        ),
        Step(
            "list",
            ask=_ask_list,
            buttons={
                OpenCard: _card_opened,
                BackToList: _back_to_list,
                SeeWhere: _scope_switched,
                OtherCategories: _other_categories,
                Leave: _leave,
            },
            done=never,
        ),
    ),
    cancel=_leave,
    cancel_button=False,  # « Back to the menu leaves instead: nothing here is kept
)


async def _start(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await forms.start(update, context, member, BROWSE)


async def browse_command(update: Update, context: AmserContext) -> None:
    await _start(update, context)


async def on_start_browsing(update: Update, context: AmserContext, press: StartBrowsing) -> None:
    await _start(update, context)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("browse", browse_command, filters.ChatType.PRIVATE))
    app.add_handler(on_press(StartBrowsing, on_start_browsing))
    forms.register(app, BROWSE)
