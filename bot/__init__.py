"""Amser: a Telegram bot for community time banks and peer-support networks."""

import os

# Opt in to PTB's future behaviour (RetryAfter.retry_after as a timedelta) before it is imported.
os.environ.setdefault("PTB_TIMEDELTA", "1")
