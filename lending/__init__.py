"""Pure lending domain: every number an applicant sees is computed here, deterministically."""
