"""Delivery of the compliance record to an external archive (journaling by SMTP)."""
