"""Writers: one per output format; each turns document nodes into a file."""
