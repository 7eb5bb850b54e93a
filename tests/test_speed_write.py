"""``speed.write_bytes``: the dev loop leaves a file alone only when it wrote these very
bytes there last time and nobody touched the file since."""

import os

from gratitude_press.speed import write_bytes


def test_plain_build_always_writes(tmp_path):
    target = tmp_path / "email.html"
    settings = {"SPEED_INCREMENTAL": False}
    write_bytes(settings, target, b"one")
    target.write_bytes(b"changed by hand")
    write_bytes(settings, target, b"one")
    assert target.read_bytes() == b"one"


def test_dev_loop_skips_unchanged_and_rewrites_touched_files(tmp_path):
    target = tmp_path / "email.html"
    settings = {"SPEED_INCREMENTAL": True}
    write_bytes(settings, target, b"one")
    stamp = os.stat(target)
    write_bytes(settings, target, b"one")
    assert os.stat(target).st_mtime_ns == stamp.st_mtime_ns  # not written again

    write_bytes(settings, target, b"two")  # new bytes are written
    assert target.read_bytes() == b"two"

    target.write_bytes(b"tw0")  # edited behind the build's back (same size)
    os.utime(target, ns=(1, 1))
    write_bytes(settings, target, b"two")
    assert target.read_bytes() == b"two"

    target.unlink()  # removed (e.g. the output folder was cleaned)
    write_bytes(settings, target, b"two")
    assert target.read_bytes() == b"two"
