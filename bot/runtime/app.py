"""Building the application: PTB wiring, services, handlers and the due-work job."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

import handlers
from bot.config import Config
from bot.runtime import logs
from bot.runtime.clock import Clock, SystemClock
from bot.runtime.context import AmserApplication, AmserContext
from bot.runtime.duework import DueWorkRunner
from bot.runtime.errors import on_error
from bot.runtime.http import AiohttpRequest
from bot.runtime.outbox import OutboxSender
from bot.runtime.ratelimit import SendingBudget

logger = logging.getLogger(__name__)


def build_application(config: Config, clock: Clock | None = None) -> AmserApplication:
    """The whole bot, without PTB's Updater: run it with `receiving_updates` (bot/runtime/inbox.py),
    which fetches updates itself and hands each member's to `process_update` in order."""
    if not config.token:
        raise ValueError("a token is needed to build the application")
    clock = clock or SystemClock()
    logs.keep_private()

    requests = (AiohttpRequest(), AiohttpRequest(pool_size=1))
    budget = SendingBudget(config.max_messages_per_second, clock=clock.monotonic)
    application = (
        ApplicationBuilder()
        .application_class(AmserApplication)
        .context_types(ContextTypes(context=AmserContext))
        .token(config.token)
        .updater(None)
        .base_url(config.bot_base_url)
        .base_file_url(config.bot_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=config.timezone,
            )
        )
        .rate_limiter(budget)
        .request(requests[0])
        .get_updates_request(requests[1])
        .build()
    )
    if not isinstance(application, AmserApplication):
        raise TypeError("the builder did not make an AmserApplication")
    application.requests = requests
    application.config = config
    application.clock = clock
    application.due_work_runner = DueWorkRunner()
    application.budget = budget
    application.outbox = OutboxSender(config.delivery_max_attempts)
    application.forms = {}
    application.landings = {}
    application.startup = []
    application.commands = handlers.register_all(application)
    application.add_error_handler(on_error)
    return application
