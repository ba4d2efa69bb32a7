"""Evaluation scoring (考核评价): indicator frameworks, veto gates, grades and quotas, ranks and
their sensitivity to the method's choices."""
