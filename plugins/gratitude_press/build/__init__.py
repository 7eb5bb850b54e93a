"""Running a build: strict logging, clear errors, an output that is never lost."""
