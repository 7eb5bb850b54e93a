"""The stories concern (see its own modules for the pure core and the Pelican adapter)."""


def register():
    pass
