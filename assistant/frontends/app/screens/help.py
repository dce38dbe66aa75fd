"""Help: the keys, how answers are read, and what the tool is (and is not)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from .start import INTENDED_USE

HELP = f"""\
# Help

**Decision support for clinicians, not a prescription.** {INTENDED_USE}

## Answering

| Question | How |
|---|---|
| One choice | ↑↓ then Enter, or the option's number |
| Several choices | Space (or the number) ticks, Enter sends |
| Number | type it; pick the unit, or type it after the number (`5.2 mmol/L`, `30 months`, `27 kgs`) |
| Lab below a limit | `<5` (any lab), `negative` (CRP): kept as below the limit, never as the limit |
| Treatments | type them freely (`pred + MTX, then Aredia`); ↓ picks a suggestion, Enter sends the line |
| Unknown | choose the *unknown* option, or type `unknown` |

A look-alike drug name is never applied silently: you are asked *Did you mean…?*,
and an unrecognised name is kept as typed and flagged.

## Keys

| Key | Does |
|---|---|
| F1 | this help |
| F2 | why this question is asked |
| Ctrl+Z | back one step, the answer shown again to correct |
| F3 | the answers so far; Enter on one changes it (later questions are recomputed) |
| Esc | cancel a change, or close the answers panel (or this help) |
| Ctrl+R | the result, once every question is answered |
| Ctrl+P | command palette (export, theme, new consult…) |
| Ctrl+T | light or dark theme |
| Ctrl+Q | quit (every answer is already saved) |

On the result: the first row is the summary (the pathway step by step, the gaps and what
would change the result), then each role with its options in order, then what is not for
this child; the selected row is shown in detail (on a narrow terminal, **Enter** opens it).
The triage banner scrolls when its flags do not fit; **t** shows them all at full height.
**m** saves the consult report (Markdown), **s** saves the session as a replay file
(`triage replay FILE`), both into your data folder unless you type another path; **n**
starts a new consult; **Esc** goes back to change answers.

## Nothing is lost

Every consult has its own file in your data folder, saved at every answer; a new consult
never touches another. If the terminal closes, run `triage` again: the start screen lists
the consults, and *Resume* (r) opens the latest unfinished one. `triage consults` lists,
exports and deletes them from the command line.
"""


class HelpScreen(ModalScreen[None]):
    """Help (or another Markdown text, such as a case vignette) over the current screen."""

    BINDINGS = [Binding("escape,f1,f4,q", "dismiss(None)", "Close")]

    def __init__(self, text: str = HELP) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(self.text)
