"""The Textual app: `civic tui`. Plugins add modes and palette commands through hooks."""
