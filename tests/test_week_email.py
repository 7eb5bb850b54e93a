"""A digest email opened from disk (the writer checking an issue before sending it)
shows this build's images, while the email itself keeps its absolute URLs."""

import re

ISSUE = "newsletter/2026-11-16"


def test_the_email_preview_loads_its_images_from_the_built_site(sample_site):
    email = (sample_site / ISSUE / "email.html").read_text()
    preview = (sample_site / ISSUE / "email.preview.html").read_text()
    assert 'src="https://gratitude.example/images/author.jpg"' in email
    images = re.findall(r'<img src="([^"]+)"', preview)
    assert images
    for source in images:
        assert not source.startswith(("http://", "https://")), source
        assert (sample_site / ISSUE / source).resolve().is_file(), source
