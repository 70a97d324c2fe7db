"""Housekeeping, as standing due work: old match notices forgotten once matching no longer
needs them, and the full-text indexes tidied so deleted words leave them for good."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from bot.runtime.commands import Command
from bot.runtime.context import AmserApplication
from handlers.matches import FAIRNESS_WINDOW
from storage.database import optimise_fts_in
from storage.due_work import DueItem
from storage.effects import Effect, Schedule

COMMANDS: tuple[Command, ...] = ()

PRUNE_KIND, PRUNE_KEY = "prune_match_notices", "housekeeping:match-notices"
OPTIMISE_KIND, OPTIMISE_KEY = "optimise_fts", "housekeeping:fts"
KINDS = (PRUNE_KIND, OPTIMISE_KIND)
PRUNE_EVERY = timedelta(days=1)


def _optimise_every(app: AmserApplication) -> timedelta:
    return timedelta(hours=app.services.config.fts_optimise_hours)


async def prune_match_notices(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    services = app.services
    now = services.clock.now()
    keep = max(timedelta(days=services.config.match_notice_days), FAIRNESS_WINDOW)
    await services.matching.prune(now - keep)
    return [Schedule(PRUNE_KEY, PRUNE_KIND, now + PRUNE_EVERY)]


async def optimise_search(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    services = app.services
    await services.db.write(optimise_fts_in)
    return [Schedule(OPTIMISE_KEY, OPTIMISE_KIND, services.clock.now() + _optimise_every(app))]


async def schedule_standing(app: AmserApplication) -> None:
    """At start-up: both jobs, unless already scheduled (they reschedule themselves)."""
    services = app.services
    now = services.clock.now()
    await services.due_work.ensure(PRUNE_KEY, PRUNE_KIND, now + PRUNE_EVERY)
    await services.due_work.ensure(OPTIMISE_KEY, OPTIMISE_KIND, now + _optimise_every(app))


def register(app: AmserApplication) -> None:
    app.due_work_runner.register(PRUNE_KIND, prune_match_notices)
    app.due_work_runner.register(OPTIMISE_KIND, optimise_search)
    app.startup.append(schedule_standing)
