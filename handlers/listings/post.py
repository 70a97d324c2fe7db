"""/offer and /request: a short guided form with a preview, then Post; the same form changes a
listing from /mylistings (it then opens on the preview, and ends with Save)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.config import Config
from bot.domain.listings import AVAILABILITY, DETAILS_MAX, REMOTE, TITLE_MAX, Kind, ListingStatus
from bot.runtime.context import AmserApplication, AmserContext
from handlers import forms, matches
from handlers.buttons import on_press
from handlers.cards import card_text
from handlers.choices import Valid, areas, categories, choices, known_area, known_category, picked
from handlers.common import Screen, keyboard, pairs, say
from handlers.details import active_member
from handlers.forms import Form, FormButton, Step, StepAsk, Turn, never
from handlers.listings.ageing import ageing
from handlers.listings.buttons import StartPosting
from handlers.menu import back_to_menu, main_menu
from storage.effects import apply_in
from storage.listings import Along, Listing
from storage.members import ELSEWHERE, Member

ANY_TIME = "any"
DURATIONS = (7, 14, 30, 60)
LIVE = (ListingStatus.OPEN, ListingStatus.PAUSED, ListingStatus.MATCHED)


class Field(StrEnum):
    """The questions, in order; each one can be changed again from the preview."""

    CATEGORY = "category"
    TITLE = "title"
    DETAILS = "details"
    PLACE = "place"
    AVAILABILITY = "availability"
    DAYS = "days"


@dataclass(frozen=True)
class ListingAnswers:
    kind: str = Kind.OFFER
    listing_id: int | None = None  # set when changing a posted listing
    category: str | None = None
    title: str | None = None
    details: str | None = None
    place: str | None = None  # an area key, ELSEWHERE or REMOTE
    availability: str | None = None  # an AVAILABILITY key, or ANY_TIME
    days: int | None = None

    def complete(self) -> bool:
        return all(getattr(self, field) is not None for field in Field)


class PickCategory(FormButton, prefix="ls:cat"):
    key: str


class PickPlace(FormButton, prefix="ls:place"):
    key: str


class PickTime(FormButton, prefix="ls:when"):
    key: str


class PickDays(FormButton, prefix="ls:days"):
    key: int  # how many days


class PostIt(FormButton, prefix="ls:post"):
    pass


class ChangeSomething(FormButton, prefix="ls:change"):
    pass


class ChangeField(FormButton, prefix="ls:field"):
    field: Field


class ShowPreview(FormButton, prefix="ls:show"):
    pass


Listed = Turn[ListingAnswers]


def _offering(turn: Listed, offer: str, request: str) -> str:
    """The words for an offer or for a request, as this listing is one or the other."""
    return offer if turn.answers.kind == Kind.OFFER else request


# --- the questions -----------------------------------------------------------------------------


def _answered(field: Field) -> Callable[[Listed], bool]:
    return lambda turn: getattr(turn.answers, field.value) is not None


def _choice(
    field: Field, ask: StepAsk[ListingAnswers], kind: type[FormButton], valid: Valid
) -> Step[ListingAnswers]:
    """A question answered with a button; each can be changed again from the preview."""
    return Step(
        field.value, ask=ask, buttons={kind: picked(field.value, valid)}, done=_answered(field)
    )


def _written(
    field: Field, ask: StepAsk[ListingAnswers], limit: int, *, one_line: bool = True
) -> Step[ListingAnswers]:
    """A question answered by typing, up to `limit` characters."""

    async def typed(turn: Listed, text: str) -> None:
        await turn.save(**{field.value: text})
        await turn.next()

    return Step(
        field.value, ask=ask, typed=typed, limit=limit, one_line=one_line, done=_answered(field)
    )


async def _ask_category(turn: Listed) -> Screen:
    _ = turn.gettext
    text = _offering(
        turn, _("What kind of help could you offer?"), _("What kind of help do you need?")
    )
    return Screen(text, keyboard(*pairs(choices(turn, PickCategory, categories(turn)))))


async def _ask_title(turn: Listed) -> Screen:
    _ = turn.gettext
    text = _offering(
        turn,
        _("In a few words, what could you do? For example: “Help with your garden”."),
        _("In a few words, what do you need? For example: “Help with my garden”."),
    )
    return Screen(text + "\n" + _("(Up to {limit} characters.)").format(limit=TITLE_MAX))


async def _ask_details(turn: Listed) -> Screen:
    _ = turn.gettext
    return Screen(
        _(
            "Tell people a little more (up to {limit} characters). Please don't include your "
            "phone number or address: we'll introduce you safely."
        ).format(limit=DETAILS_MAX)
    )


async def _ask_place(turn: Listed) -> Screen:
    _ = turn.gettext
    places = choices(turn, PickPlace, [*areas(turn), (ELSEWHERE, _("Somewhere else"))])
    remote = choices(turn, PickPlace, [(REMOTE, _("Remotely or by phone"))])
    return Screen(_("Where?"), keyboard(*pairs(places), remote))


def _known_place(turn: Listed, key: str) -> bool:
    return key in (REMOTE, ELSEWHERE) or known_area(turn, key)


async def _ask_availability(turn: Listed) -> Screen:
    _ = turn.gettext
    times = choices(turn, PickTime, [(key, _(label)) for key, label in AVAILABILITY.items()])
    anytime = choices(turn, PickTime, [(ANY_TIME, _("Any time"))])
    return Screen(_("When suits you best?"), keyboard(*pairs(times), anytime))


async def _ask_days(turn: Listed) -> Screen:
    tr = turn.tr
    labels = [(days, tr.ngettext("{n} day", "{n} days", days).format(n=days)) for days in DURATIONS]
    return Screen(
        # TRANSLATORS: listings stay "ar gael" (available), not the calque "aros i fyny".
        tr.gettext("How long should it stay up?"),
        keyboard(*pairs(choices(turn, PickDays, labels))),
    )


# --- the preview -------------------------------------------------------------------------------


async def _ask_preview(turn: Listed) -> Screen:
    tr, answers = turn.tr, turn.answers
    _ = tr.gettext
    days = answers.days or turn.services.config.listing_days
    text = "\n\n".join(
        [
            _("<b>Here's how it will look:</b>"),
            card_text(turn.services, answers, tr, turn.member.display_name),
            tr.ngettext(
                "It will stay up for {n} day.", "It will stay up for {n} days.", days
            ).format(n=days),
        ]
    )
    post = _("✅ Save changes") if answers.listing_id else _("✅ Post it")
    return Screen(
        text,
        keyboard(
            [turn.b(post, PostIt(turn.form.id))],
            [turn.b(_("✏️ Change something"), ChangeSomething(turn.form.id))],
        ),
    )


async def _change_something(turn: Listed, press: ChangeSomething) -> None:
    """Which answer to change; the preview's step stays, so typing here is asked again."""
    _ = turn.gettext
    labels = {
        Field.CATEGORY: _("Kind of help"),
        Field.TITLE: _("Title"),
        Field.DETAILS: _("Details"),
        Field.PLACE: _("Where"),
        Field.AVAILABILITY: _("When"),
        Field.DAYS: _("How long"),
    }
    options = [turn.b(label, ChangeField(turn.form.id, field)) for field, label in labels.items()]
    back = [turn.b(_("« Back"), ShowPreview(turn.form.id))]
    await turn.show(Screen(_("What would you like to change?"), keyboard(*pairs(options), back)))


async def _change_field(turn: Listed, press: ChangeField) -> None:
    await turn.go(press.field.value)


async def _show_preview(turn: Listed, press: ShowPreview) -> None:
    await turn.ask()


async def _post(turn: Listed, press: PostIt) -> None:
    answers = turn.answers
    if not answers.complete():
        await turn.next()  # the first question still unanswered
        return
    if answers.listing_id is not None:
        await _save_changes(turn, answers.listing_id)
        return
    services, member = turn.services, turn.member
    now = services.clock.now()
    expires_at = now + timedelta(days=answers.days or services.config.listing_days)
    fields = _fields(answers)
    draft = Listing(
        id=0,  # not posted yet: nobody has been told about it
        member_id=member.id,
        kind=answers.kind,
        status=ListingStatus.OPEN,
        created_at=now,
        updated_at=now,
        expires_at=expires_at,
        category=answers.category or "",
        title=answers.title or "",
        details=answers.details or "",
        place=answers.place or "",
        availability=fields["availability"],
    )
    planned = await matches.plan(services, draft)
    listing = await services.listings.create(
        member.id,
        answers.kind,
        now=now,
        expires_at=expires_at,
        form_id=turn.form.id,
        along=posting_in(services.config, planned, now),
        **fields,
    )
    _ = turn.gettext
    note = _(
        "Posted! Thank you. We'll let the people who fit best know, and tell you when someone "
        "responds."
    )
    if await turn.finish(Screen(note), outcome=listing.id):
        await say(turn.update, turn.context, main_menu(services, member))


def posting_in(config: Config, planned: matches.Planned, now: datetime) -> Along:
    """What posting a listing writes with it, in the same transaction: its due work (warning,
    expiry, unanswered flag) and its match notices."""

    def along(tx: sqlite3.Connection, listing: Listing) -> None:
        apply_in(tx, ageing(config, listing, now), now)
        matches.announce_in(tx, config, listing, planned, now)

    return along


async def _save_changes(turn: Listed, listing_id: int) -> None:
    services, member, answers = turn.services, turn.member, turn.answers
    listing = await services.listings.get(listing_id)
    if listing is None or listing.member_id != member.id or listing.status not in LIVE:
        note = turn.gettext("That one is already closed.")
        await turn.close(main_menu(services, member).after(note))
        return
    now = services.clock.now()
    days = answers.days or services.config.listing_days
    listing = await services.listings.update(
        listing.id,
        now,
        then=lambda changed: ageing(services.config, changed, now),
        expires_at=now + timedelta(days=days),
        **_fields(answers),
    )
    if await turn.finish(Screen(turn.gettext("Saved. Thank you!")), outcome=listing.id):
        await say(turn.update, turn.context, main_menu(services, member))


def _fields(answers: ListingAnswers) -> dict[str, str | None]:
    return {
        "category": answers.category or "",
        "title": answers.title or "",
        "details": answers.details or "",
        "place": answers.place or "",
        "availability": None if answers.availability == ANY_TIME else answers.availability,
    }


async def _posted_already(turn: Listed) -> None:
    """Post (or Save) pressed again: one listing was made; show it as it is now."""
    services, tr = turn.services, turn.tr
    listing = await services.listings.get(turn.form.outcome or 0)
    text = tr.gettext("That's done already. Here's how it looks now:")
    if listing is not None:
        text += "\n\n" + card_text(services, listing, tr, turn.member.display_name)
    await turn.show(Screen(text, keyboard(back_to_menu(services, turn.member))))


async def _cancelled(turn: Listed) -> None:
    screen = main_menu(turn.services, turn.member)
    await turn.close(screen.after(turn.gettext("Cancelled: nothing was posted.")))


LISTING: Form[ListingAnswers] = Form(
    name="listing",
    command="mylistings",  # where both /offer and /request can be started again
    answers=ListingAnswers,
    who=active_member,
    steps=(
        _choice(Field.CATEGORY, _ask_category, PickCategory, known_category),
        _written(Field.TITLE, _ask_title, TITLE_MAX),
        _written(Field.DETAILS, _ask_details, DETAILS_MAX, one_line=False),
        _choice(Field.PLACE, _ask_place, PickPlace, _known_place),
        _choice(
            Field.AVAILABILITY,
            _ask_availability,
            PickTime,
            lambda turn, key: key == ANY_TIME or key in AVAILABILITY,
        ),
        _choice(Field.DAYS, _ask_days, PickDays, lambda turn, days: days in DURATIONS),
        Step(
            "preview",
            ask=_ask_preview,
            buttons={
                PostIt: _post,
                ChangeSomething: _change_something,
                ChangeField: _change_field,
                ShowPreview: _show_preview,
            },
            done=never,
        ),
    ),
    cancel=_cancelled,
    finished=_posted_already,
)


# --- starting --------------------------------------------------------------------------------


async def start_posting(update: Update, context: AmserContext, member: Member, kind: Kind) -> None:
    await forms.start(update, context, member, LISTING, ListingAnswers(kind=kind))


async def start_changing(
    update: Update, context: AmserContext, member: Member, listing: Listing
) -> None:
    """Change a posted listing: the form opens on its preview, every answer filled in."""
    answers = ListingAnswers(
        kind=listing.kind,
        listing_id=listing.id,
        category=listing.category,
        title=listing.title,
        details=listing.details,
        place=listing.place,
        availability=listing.availability or ANY_TIME,
        days=context.services.config.listing_days,
    )
    await forms.start(update, context, member, LISTING, answers)


async def offer_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await start_posting(update, context, member, Kind.OFFER)


async def request_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await start_posting(update, context, member, Kind.REQUEST)


async def on_start_posting(update: Update, context: AmserContext, press: StartPosting) -> None:
    member = await active_member(update, context)
    if member is not None:
        await start_posting(update, context, member, press.kind)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("offer", offer_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("request", request_command, filters.ChatType.PRIVATE))
    app.add_handler(on_press(StartPosting, on_start_posting))
    forms.register(app, LISTING)
