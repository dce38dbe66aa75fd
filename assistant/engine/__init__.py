"""The pure engine: load and validate data, walk the dialog, match drugs, replay.

Nothing here prints or imports a user interface.
"""
