"""Helpers shared by the engine, CLI and app tests. Test modules import helpers from here,
never from each other."""
