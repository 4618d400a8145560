"""Writes of the feedback module. Each submodule groups one kind of actor's actions:

- ``intake``: receiving cases from citizens;
- ``handling``: the Front staff's work on a case (state machine, transfers, extensions, merges);
- ``review``: classification, publication, the audited identity reveal, bans;
- ``citizen``: what the sender and the public may do (reopen, rate, report abuse);
- ``deadlines``: the periodic alerts and escalations run by the scheduler.
"""
