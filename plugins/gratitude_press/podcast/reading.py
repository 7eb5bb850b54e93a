"""What the reader does for an episode (pure: the reader passes the file's text).

- ``with_thanks``: the episode's ``thanks:`` become ``/// gratitude`` blocks after the
  notes, so the stories concern renders and collects them like any other story;
- ``episode_metadata``: the episode checked and its podcast facts as plain data
  (cache-safe), plus ``template: episode``.
"""

from .episode import key_line, read_episode, thanks_blocks

THANKS_HEADING = "## Thanks on this episode"


def with_thanks(front_matter, body, source_path, text, config, item_lines=()):
    """``(body, added)``: the body with the thanks after it, and for each block the
    body line of its header with the file line of its entry (``item_lines``), so that
    a problem in a block names the entry the writer wrote."""
    if (
        not front_matter
        or not front_matter.get("thanks")
        or not config.is_episode(source_path)
    ):
        return body, ()
    blocks = thanks_blocks(
        front_matter["thanks"], source_path, key_line(text, "thanks"), item_lines
    )
    head = f"{body.rstrip()}\n\n{THANKS_HEADING}\n\n"
    first = head.count("\n") + 1
    headers = [
        first + number
        for number, row in enumerate(blocks.split("\n"))
        if row.startswith("/// gratitude")
    ]
    return f"{head}{blocks}\n", tuple(zip(headers, item_lines, strict=False))


def episode_metadata(metadata, source_path, text, config):
    """The metadata to add for an episode, or {} for any other file."""
    if not config.is_episode(source_path):
        return {}
    if _unrecorded_draft(metadata):
        # `gratitude-press new episode` starts a draft before there is a recording:
        # it previews as a plain post, and every episode check runs once it has audio.
        return {}
    podcast = read_episode(
        metadata, source_path, text, config.content_root, config.regex_subs
    )
    added = {"podcast": podcast, "episode": podcast["number"]}
    if "template" not in metadata:
        added["template"] = "episode"
    return added


def _unrecorded_draft(metadata) -> bool:
    status = str(metadata.get("status", "")).lower()
    return status == "draft" and metadata.get("audio") in (None, "")
