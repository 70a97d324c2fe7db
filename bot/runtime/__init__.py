"""Running the bot: the PTB application, its context, and the machinery around the handlers."""
