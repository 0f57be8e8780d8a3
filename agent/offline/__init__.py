"""The offline advisor model: deterministic understanding and templated replies, no network."""
