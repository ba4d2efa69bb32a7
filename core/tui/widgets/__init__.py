"""Widgets shared by core's screens and plugins' screens."""
