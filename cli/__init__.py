"""The `loan-advisor` command line: the same operations as the Makefile and the API."""
