"""``python -m assistant`` runs the ``triage`` command."""

from assistant.frontends.cli import main

raise SystemExit(main())
