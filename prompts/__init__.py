"""Versioned prompt files (`<name>/v<N>.md|yaml`) and the one loader that reads them."""
