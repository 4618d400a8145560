"""Writes of the congress module (:mod:`.congresses`)."""
