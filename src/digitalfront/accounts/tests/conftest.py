"""Fixtures of the accounts tests that start other processes (``processes.py``)."""

from digitalfront.accounts.tests.processes import relying_parties  # noqa: F401 - a fixture
