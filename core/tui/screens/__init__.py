"""Core screens: login, the dashboard and the core modes."""
