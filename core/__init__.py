"""Cross-cutting foundations: settings, logging, clock, ids and error types."""
