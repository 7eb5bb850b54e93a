"""Settings for `make publish`: absolute URLs on the real domain."""

import os
import sys

# pelicanconf.py beside this file, wherever the build is started from
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://gratitude.example"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# A post dated in the future waits for its day (the scheduled CI build publishes it).
WITH_FUTURE_DATES = False
