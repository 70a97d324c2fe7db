"""Pure rules of the time bank: no storage, no Telegram, no configuration."""


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message
