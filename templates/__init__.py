"""Core notice templates, reachable from the template loader as `core:`."""
