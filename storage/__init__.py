"""Repositories behind Protocols, with SQLite (embedded default) and DynamoDB backends."""
