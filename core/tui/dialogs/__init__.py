"""Reusable modal dialogs: confirm, co-signature, file import, pickers and forms."""
