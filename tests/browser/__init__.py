"""Helpers of the real-browser tests: serve a built site, launch Debian's Chromium."""
