"""The shape of a Bot API method implementation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

# Takes the decoded parameters, returns the `result`; raises ApiError to fail.
Handler = Callable[[dict[str, Any]], Awaitable[Any]]
