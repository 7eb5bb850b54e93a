"""How the digest commands stop: one line, never a secret."""

import os
import re

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_?KEY", re.IGNORECASE)


class Failure(Exception):
    """A problem the command reports as one line before it exits with status 1."""


def without_secrets(text) -> str:
    """An unexpected error could quote anything: hide every secret-looking variable."""
    text = str(text)
    for name, value in os.environ.items():
        if SECRET_NAME.search(name) and len(value) >= 4:
            text = text.replace(value, "***")
    return text
