"""`python -m scoring.server serve`: the container entry point (see `runner.main`)."""

from scoring.server.runner import main

main()
