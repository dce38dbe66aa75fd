"""The message sent when the clinician asks to change an earlier answer."""

from __future__ import annotations

from textual.message import Message

from ....engine.session import StepKey


class EditRequested(Message):
    """Change the answer to step ``key``: an answer clicked in the transcript, or chosen in
    the answers panel."""

    def __init__(self, key: StepKey) -> None:
        super().__init__()
        self.key = key
