"""How a build hands its issues to the digest command that started it.

The command puts a fresh ``DigestOutbox`` in the settings of the one build it runs
(``runner.build(..., overrides={OUTBOX_KEY: outbox})``) and the newsletter generator
fills it at the end of that build. Nothing is kept at module level, so two builds in
one process (two sites, a rebuild, the dev server) never see each other's issues.
"""

from dataclasses import dataclass, field

OUTBOX_KEY = "GRATITUDE_DIGEST_OUTBOX"


@dataclass
class DigestOutbox:
    """What one build made: its entries, its issues (newest first), and the digest
    settings and renderer that made them (the command sends with the same)."""

    entries: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    cfg: object = None
    renderer: object = None
