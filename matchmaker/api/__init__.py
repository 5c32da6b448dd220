"""The REST API under /api/v1: JSON for organisers' tools, authenticated by organisers' tokens,
described by an OpenAPI 3.1 document (flask-smorest). Its views parse, call the same services
as the organiser's pages, and dump; errors are problem details (`matchmaker/problems.py`)."""
