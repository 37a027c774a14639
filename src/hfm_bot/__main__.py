"""``python -m hfm_bot`` is the same as the ``hfm-bot`` command."""

from hfm_bot.cli import main

raise SystemExit(main())
