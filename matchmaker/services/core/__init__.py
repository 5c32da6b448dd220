"""Shared machinery: revisions and kept pages, reads, mail, what an organiser may load."""
