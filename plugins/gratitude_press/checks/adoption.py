"""Is the site ready to publish as the writer's own? Settings checks (pure: no Pelican).

``check`` (and ``build --check``, ``send``) runs these before anything goes online:

- the sample's identity left where it matters, once the site is being adopted;
- a sign-up form (``NEWSLETTER_SIGNUP``) that the theme would silently leave out;
- the sample show's ``PODCAST_GUID`` on another feed.

The sample is recognised by its identity (``SAMPLE_IDENTITY``): the shipped sample
publishes as it is (CI builds it), and as soon as one of those settings is the
writer's own, every value still pointing at the sample is a problem. Each problem is
a ``ContentError`` naming the settings file and line.
"""

import difflib
import re

from ..newsletter.settings import is_placeholder_host

# The shipped sample (pelicanconf.py): a site with all three is the sample itself.
SAMPLE_IDENTITY = {
    "SITENAME": "Gratitude Press",
    "AUTHOR": "Rakesh Menon",
    "SENDER_EMAIL": "digest@gratitude.example",
}
# Names of the sample's people and show: on an adopted site, any setting that still
# says them speaks for someone else.
SAMPLE_NAMES = ("Rakesh Menon", "Off the Rak")
WHY_NAMES = {
    "SENDER_NAME": "emails would go out From: {name}",
    "AUTHOR": "posts, feeds and the podcast would name {name} as their author",
}
# Sample values that say no name but are the sample's all the same.
SAMPLE_VALUES = {
    "POSTAL_ADDRESS": (
        "Gratitude Press, P.O. Box 1234, Madison, WI 53701, USA",
        "every email's footer would give the sample's postal address",
    ),
    "PODCAST_TXT": (
        [("verify", "gratitude-press-sample-3f9a")],
        "podcast directories would read the sample's verification text",
    ),
}
SAMPLE_SIGNUP = {"provider": "buttondown", "username": "gratitude-press"}
SAMPLE_PODCAST_GUID = "8de365cf-e895-5c59-87b0-aa4ce9aa255f"
SAMPLE_FEED_URL = "https://gratitude.example/podcast.xml"

# Settings whose values hold the site's addresses (URLs, email addresses, list ids),
# besides every DIGEST_* and PODCAST_* setting.
ADDRESS_SETTINGS = (
    "SITEURL",
    "FEED_DOMAIN",
    "SENDER_EMAIL",
    "REPLY_TO_EMAIL",
    "SOCIAL",
    "LINKS",
    "NEWSLETTER_SIGNUP",
)
ADDRESS_PREFIXES = ("DIGEST_", "PODCAST_")
HOST = re.compile(r"https?://([^/:\s\"'<>?#]+)|@([A-Za-z0-9.-]+)|<([A-Za-z0-9.-]+)>")

# What the theme's form needs from each provider (README, "Theme, sign-up and search").
SIGNUP_KEYS = {
    "buttondown": ("username",),
    "mailchimp": ("dc", "u", "id"),
    "listmonk": ("root", "lists"),
    "link": ("url",),
}
SIGNUP_OPTIONAL = ("provider", "title", "pitch", "privacy", "pages")


def is_sample(settings) -> bool:
    return all(settings.get(name) == value for name, value in SAMPLE_IDENTITY.items())


def _texts(value):
    """Every string inside a setting's value (lists, tuples and dicts opened)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def settings_texts(settings) -> list:
    """Every string in the settings' values (URLs the writer typed among them)."""
    return [text for value in settings.values() for text in _texts(value)]


def placeholder_hosts(value) -> list:
    """The placeholder hosts (``*.example``, ``example.org``...) a value names."""
    found = []
    for text in _texts(value):
        for match in HOST.finditer(text):
            host = next(group for group in match.groups() if group).lower()
            if is_placeholder_host(host) and host not in found:
                found.append(host)
    return found


def _address_names(values) -> list:
    names = [
        name
        for name in values
        if name in ADDRESS_SETTINGS or name.startswith(ADDRESS_PREFIXES)
    ]
    if "FEED_DOMAIN" in names and values["FEED_DOMAIN"] == values.get("SITEURL"):
        names.remove("FEED_DOMAIN")  # Pelican's default copy of SITEURL: said once
    return names


def identity_problems(values, source) -> list:
    """What still belongs to the sample or to no one, once the site is adopted.

    ``values``: the site's settings with the kit's defaults filled in."""
    if is_sample(values):
        return []
    problems = []
    for name in _address_names(values):
        hosts = placeholder_hosts(values.get(name))
        if hosts:
            problems.append(
                source.error(
                    name,
                    f"is on the placeholder domain {hosts[0]}, where nothing real "
                    "answers",
                    "set your own address; README, Adopting the kit",
                )
            )
    problems += _sample_names(values, source)
    for name, (sample, why) in SAMPLE_VALUES.items():
        if values.get(name) == sample:
            problems.append(
                source.error(name, f"is still the sample's: {why}", "set your own")
            )
    signup = values.get("NEWSLETTER_SIGNUP")
    if isinstance(signup, dict) and all(
        signup.get(key) == value for key, value in SAMPLE_SIGNUP.items()
    ):
        problems.append(
            source.error(
                "NEWSLETTER_SIGNUP",
                "is still the sample's Buttondown list "
                f"{SAMPLE_SIGNUP['username']!r}: sign-ups would go to someone else",
                "set your own list; README, Theme, sign-up and search",
            )
        )
    return problems


def _sample_names(values, source) -> list:
    problems = []
    for name, value in values.items():
        said = next(
            (
                sample
                for sample in SAMPLE_NAMES
                for text in _texts(value)
                if sample in text
            ),
            None,
        )
        if said:
            why = WHY_NAMES.get(name, "readers would see the sample's {name}")
            problems.append(
                source.error(
                    name,
                    f"still names the sample's {said!r}: " + why.format(name=said),
                    "set your own",
                )
            )
    return problems


def podcast_guid_problems(guid, feed_url, source, new_guid) -> list:
    """The sample show's ``podcast:guid`` on another feed claims to be that show.

    ``new_guid``: the function that makes the guid of a feed URL."""
    if guid != SAMPLE_PODCAST_GUID or not feed_url or feed_url == SAMPLE_FEED_URL:
        return []
    return [
        source.error(
            "PODCAST_GUID",
            f"is the sample show's guid, but the feed is {feed_url}: "
            "podcast apps would take your show for the sample's",
            f'set PODCAST_GUID = "{new_guid(feed_url)}" (made from your feed URL) '
            "once, and never change it",
        )
    ]


def _near(word, choices) -> str:
    close = difflib.get_close_matches(str(word), choices, n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def signup_problems(signup, source) -> list:
    """``NEWSLETTER_SIGNUP`` the theme cannot turn into a form (it would show none)."""
    if signup is None:
        return []  # no sign-up form, on purpose
    if not isinstance(signup, dict):
        return [
            source.error(
                "NEWSLETTER_SIGNUP",
                f"must be a dictionary, not {signup!r}",
                '{"provider": "buttondown", "username": "..."}',
            )
        ]
    provider = signup.get("provider")
    if provider not in SIGNUP_KEYS:
        return [
            source.error(
                "NEWSLETTER_SIGNUP",
                f"has the provider {provider!r}, which the sign-up "
                "form does not know: every page would show no form",
                _near(provider, list(SIGNUP_KEYS))
                + "choose from "
                + ", ".join(SIGNUP_KEYS),
            )
        ]
    needed = SIGNUP_KEYS[provider]
    problems = [
        source.error(
            "NEWSLETTER_SIGNUP",
            f"lacks {key!r}, which {provider} needs: every page would show no form",
            f"{provider} needs " + ", ".join(needed),
        )
        for key in needed
        if signup.get(key) in (None, "", [], ())
    ]
    known = [*needed, *SIGNUP_OPTIONAL]
    problems += [
        source.error(
            "NEWSLETTER_SIGNUP",
            f"has a key {key!r} that nothing reads",
            _near(key, known) + "known keys: " + ", ".join(known),
        )
        for key in signup
        if key not in known
    ]
    return problems
