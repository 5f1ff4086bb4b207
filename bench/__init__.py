"""`make bench`: the portal under load on a national data set, next to a bare Flask route.

Run with ``.venv/bin/python -m bench`` (what ``make bench`` does); ``--help`` lists the options.
"""
