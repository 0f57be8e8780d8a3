"""One construct per deployable unit; stacks in `infra.stacks` compose them."""
