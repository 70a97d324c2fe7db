"""The check-in pass, as standing due work: every few minutes it queues the check-ins due
soon (each sent at its own time by the outbox) and moves each schedule on, in one write."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from bot.runtime.context import AmserApplication
from storage.checkins import QuietHours
from storage.due_work import DueItem
from storage.effects import Effect, Schedule

PASS_KIND, PASS_KEY = "checkin_pass", "checkins:pass"
# The pass may be up to one due-work interval late; looking this far ahead lets each
# check-in be queued before its moment, so it still goes out at that moment.
SLACK = timedelta(minutes=1)


def every(app: AmserApplication) -> timedelta:
    return timedelta(minutes=app.services.config.checkin_pass_minutes)


async def run_pass(app: AmserApplication, item: DueItem) -> Iterable[Effect]:
    services = app.services
    config = services.config
    now = services.clock.now()
    result = await services.checkins.due_pass(
        now,
        config.timezone,
        QuietHours(config.quiet_hours_start, config.quiet_hours_end),
        ahead=every(app) + SLACK,
    )
    # A full batch: go again straight away (the runner picks the moved item up in this run).
    return [Schedule(PASS_KEY, PASS_KIND, now if result.more else now + every(app))]


async def schedule_pass(app: AmserApplication) -> None:
    """At start-up: the pass, due at once, unless it is scheduled already."""
    await app.services.due_work.ensure(PASS_KEY, PASS_KIND, app.services.clock.now())
