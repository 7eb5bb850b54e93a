"""Running a build: strict logging, clear errors, an output that is never lost."""

# Our build command records its settings file here, so checks can name it in messages.
SETTINGS_FILE_KEY = "GRATITUDE_SETTINGS_FILE"
