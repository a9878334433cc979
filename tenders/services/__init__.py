"""Writes of the tenders app: programmes, milestones, lots, reminders and the aggregation."""
