"""The training mode's charts (civic.tui.widgets.chart): a person's hours against the
requirement, and the monthly training-day compliance of the units or of one unit."""
