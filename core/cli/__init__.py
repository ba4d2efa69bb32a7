"""The `civic` command line (click). Never imports Textual at module level."""
