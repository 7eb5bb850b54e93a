"""``gratitude-press new post|episode "Title"``: a draft to start from (no signals).

``core.py`` makes the text (pure); ``cli.py`` finds the folder, the date on the kit's
clock, the next episode number, and writes the file without ever replacing one.
"""
