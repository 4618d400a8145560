"""Writes of the assistant: asking and answering (:mod:`.answers`), knowledge and the review queue
(:mod:`.knowledge`)."""
