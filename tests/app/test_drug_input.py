"""The drug-list input on its own, inside a minimal app (as Textual's own tests do):
the matcher's candidates are offered as you type and applied only on a keypress."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from assistant.engine.library import Library
from assistant.engine.suggest import suggest
from assistant.frontends.app.widgets.drug_input import Dropdown, DrugInput


class DrugInputApp(App[None]):
    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        matcher = self.library.matcher
        yield DrugInput(lambda line, cursor: suggest(line, cursor, matcher))


async def test_a_suggestion_applies_only_on_a_keypress(library):
    async with DrugInputApp(library).run_test() as pilot:
        await pilot.press(*"metho")
        await pilot.pause()
        line = pilot.app.query_one(DrugInput).query_one(Input)
        assert line.value == "metho"
        await pilot.press("down")
        assert isinstance(pilot.app.focused, Dropdown)
        await pilot.press("enter")
        await pilot.pause()
        assert line.value == "methotrexate" and pilot.app.focused is line
