"""Integrity: accounts whose engagement is bought or automated, weighed down in the index.

Each person who engages gets an authenticity weight w = 1 - p(inauthentic), from
transparent signals on their profile (:mod:`.profile`), and 0 when they act in
lockstep with a group (:mod:`.lockstep`). The index counts people by their weight,
so bought followers and engagement pods add nothing rather than being punished,
and a false positive costs one person's weight, never the organisation's score
outright. :mod:`.assess` runs both and stores the weights; docs/integrity.md
gives the method and its measured accuracy.
"""

METHOD = "jauge-integrity/1.0.0"
#: a person counts as flagged when their weight is at most this: they start no thread,
#: carry no opinion and, from index 1.0.3, count as no one at all
FLAGGED = 0.5
