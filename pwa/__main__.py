"""`python -m pwa` is the `hallway` command."""

from .cli import main

main()
