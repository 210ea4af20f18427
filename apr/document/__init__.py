"""Document model, templates and the markup between them."""
