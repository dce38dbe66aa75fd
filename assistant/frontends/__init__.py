"""Thin front ends over the engine: command line, plain line-by-line chat, Textual app."""
