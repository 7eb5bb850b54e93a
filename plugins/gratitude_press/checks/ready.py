"""The checks of ``gratitude-press check``: ready to go out as the writer's site?

Thin adapter over the pure checks in ``adoption.py`` (settings) and ``outputs.py``
(links in a built site), plus git's view of the subscriber files. Each function
returns one line per problem; the build runner (``build --check``) and the ``check``
and ``send`` commands decide whether they warn or fail.
"""

import os
from pathlib import Path

from ..config import read_config
from ..newsletter import settings as digest_settings
from ..newsletter.privacy import git_exposure
from ..podcast import settings as podcast_settings
from ..podcast.feed import podcast_guid
from ..settings import SettingsSource, absolute_base_url
from .adoption import (
    identity_problems,
    podcast_guid_problems,
    settings_texts,
    signup_problems,
)
from .outputs import TEXT_SUFFIXES, missing_pages, typed_paths

SUBSCRIBER_FILES = ("*.csv",)  # next to the settings file: where the README puts them


def with_defaults(settings) -> dict:
    """The site's settings with the digest's and the podcast's defaults filled in
    (``None`` means the default, as everywhere in the kit)."""
    values = dict(settings)
    for defaults in (digest_settings.DEFAULTS, podcast_settings.DEFAULTS):
        for name, default in defaults.items():
            if values.get(name) is None:
                values[name] = default
    return values


def settings_problems(settings) -> list:
    """Identity, sign-up, podcast guid and subscriber files, as one line each."""
    source = SettingsSource.of(settings)
    config = read_config(settings)  # bad values: the build reports them itself
    problems = identity_problems(with_defaults(settings), source)
    problems += signup_problems(settings.get("NEWSLETTER_SIGNUP"), source)
    if config.podcast is not None:
        problems += podcast_guid_problems(
            config.podcast.guid, config.podcast.feed_url, source, podcast_guid
        )
    problems.sort(key=lambda problem: (problem.path, problem.line or 0))
    return [str(problem) for problem in problems] + subscriber_file_problems(
        source.file, config.digest
    )


def subscriber_file_problems(settings_file, digest) -> list:
    """Files of readers' addresses that one ``git add .`` would commit."""
    folder = Path(settings_file).resolve().parent
    names = (
        (digest.state_file, digest.suppression_file)
        if digest
        else (
            digest_settings.DEFAULTS["DIGEST_STATE_FILE"],
            digest_settings.DEFAULTS["DIGEST_SUPPRESSION_FILE"],
        )
    )
    paths = [folder / name for name in names]
    for pattern in SUBSCRIBER_FILES:
        paths += sorted(folder.glob(pattern))
    lines = (git_exposure(path, "file of readers' addresses") for path in paths)
    return [line for line in lines if line]


def _site_files(output: Path):
    for root, _, names in os.walk(output):
        for name in names:
            yield os.path.relpath(os.path.join(root, name), output).replace(os.sep, "/")


def output_problems(settings, output) -> list:
    """Links in the built site (``output``) to pages it does not have."""
    output = Path(output)
    files = set(_site_files(output))
    texts = {
        name: (output / name).read_text(encoding="utf-8", errors="replace")
        for name in files
        if name.endswith(TEXT_SUFFIXES)
    }
    digest = read_config(settings).digest
    bases = [absolute_base_url(settings), digest.siteurl if digest else ""]
    typed = typed_paths(settings_texts(settings), bases)
    return [str(missing) for missing in missing_pages(texts, files, bases, typed)]
