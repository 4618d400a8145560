"""Writes to the organisational database. Every function takes keyword arguments, runs in one
transaction and records an audit event."""
