"""Resource package: sample corpus and lexicons, shipped inside kgraph as kgraph.data."""
