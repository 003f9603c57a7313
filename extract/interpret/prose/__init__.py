"""The prose engine's passes: a figure is a frozen record (:mod:`.record`) that each pass returns a
new copy of (:mod:`.reading` for one figure's own words, :mod:`extract.interpret.narrative` for a
paragraph's figures together); the order of the passes is declared in ``reading.PASSES``."""
