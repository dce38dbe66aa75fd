"""The Textual front end: ``app.py`` (the App), ``screens/``, ``widgets/``, ``app.tcss``."""
