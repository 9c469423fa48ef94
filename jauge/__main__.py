"""``python -m jauge``: the same as the ``jauge`` command."""

from .cli.main import main

main()
