"""Running a build: strict logging, clear errors and an output folder that is never lost."""
