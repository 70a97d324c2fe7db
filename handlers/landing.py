"""Where a link into the bot lands: `t.me/<bot>?start=<what>-<id>` opens what it names, once
the person is a member (a newcomer joins first, and lands there afterwards). Features say what
their links open with `register_landing`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.runtime.context import AmserApplication, AmserContext
from storage.members import Member

# Before consent nothing is stored: a newcomer's link waits in user_data, then in joining's form.
LANDING_KEY = "landing"
PAYLOAD_MAX = 64  # Telegram's own limit for a start parameter

Landing = Callable[[Update, AmserContext, Member, str], Awaitable[None]]


def start_link(bot_username: str, payload: str) -> str:
    """The link that opens the bot with /start `payload`."""
    return f"https://t.me/{bot_username}?start={payload}"


def register_landing(app: AmserApplication, prefix: str, landing: Landing) -> None:
    """Links `<prefix>-<rest>` open with `landing(update, context, member, rest)`."""
    if prefix in app.landings:
        raise ValueError(f"two features land links called {prefix!r}")
    app.landings[prefix] = landing


def payload_of(context: AmserContext) -> str | None:
    """The link's start parameter, if /start came with one that some feature opens."""
    payload = context.args[0] if context.args else None
    if not payload or len(payload) > PAYLOAD_MAX:
        return None
    prefix = payload.partition("-")[0]
    return payload if prefix in _landings(context) else None


async def land(update: Update, context: AmserContext, member: Member, payload: str) -> bool:
    """Open what the link names for an active member; False if no feature opens it."""
    prefix, _, rest = payload.partition("-")
    landing = _landings(context).get(prefix)
    if landing is None:
        return False
    await landing(update, context, member, rest)
    return True


def _landings(context: AmserContext) -> dict[str, Landing]:
    app = context.application
    if not isinstance(app, AmserApplication):
        raise TypeError("links land only in an AmserApplication")
    return app.landings
