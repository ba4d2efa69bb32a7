"""Accountability and inspection (问责, 督查督办): cases, forms, deadlines, the restrictions a
decision puts on a person's record, and tasks with escalation by days overdue."""
