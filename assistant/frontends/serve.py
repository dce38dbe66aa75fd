"""``triage serve``: the study app in web browsers, through textual-serve.

textual-serve starts one app process per browser tab (the command below, with the web
driver), so each trainee has their own session; the app asks the trainee's name first and
keeps their progress in their own file (``trainees/`` in the data folder, which the
processes inherit). Localhost only by default: listening on the local network takes an
explicit ``--lan ADDRESS`` and prints a warning, as there is no login. The page is
textual-serve's own with a title and without its Google Fonts stylesheet (``serve_page/``):
a browser in the classroom fetches nothing from anywhere but this server.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from pathlib import Path
from typing import TextIO

from ..engine.errors import TriageError
from .text import literal

LOCALHOST = "127.0.0.1"
TITLE = "Calcinosis triage: self-study"
PAGE = Path(__file__).with_name("serve_page")   # the page template (app_index.html)
WARNING = ("WARNING: listening on {address}: anyone who can reach this machine on the network "
           "can open the study app, read the cases and every trainee's name and scores. There "
           "is no login and no encryption (plain HTTP). Use it only on a classroom network you "
           "trust, and stop it (Ctrl+C) after the session.")


def command(root: Path | None) -> str:
    """The shell command textual-serve runs for each browser tab."""
    args = [sys.executable, "-m", "assistant"]
    if root is not None:
        args += ["--root", str(root.resolve())]
    return shlex.join([*args, "study", "--classroom"])


def run(root: Path | None, lan: str | None, port: int, stderr: TextIO) -> int:
    host = LOCALHOST
    if lan is not None:
        try:
            address = ipaddress.ip_address(lan)
        except ValueError:
            raise TriageError(f"--lan needs this machine's IP address on the network, not "
                              f"'{literal(lan)}'") from None
        if address.is_unspecified:
            raise TriageError("--lan needs this machine's own address on the network (the "
                              "browsers connect back to it), not an unspecified one")
        host = str(address)
        if not address.is_loopback:
            stderr.write(WARNING.format(address=host) + "\n")
    if not 0 < port < 65536:
        raise TriageError(f"--port must be from 1 to 65535, not {port}")
    from textual_serve.server import Server

    name = f"[{host}]" if ":" in host else host
    server = Server(command(root), host=host, port=port, title=TITLE,
                    public_url=f"http://{name}:{port}", templates_path=PAGE)
    server.serve()
    return 0
