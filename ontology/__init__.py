"""Resource package: the ontology Turtle files, shipped inside kgraph as kgraph.ontology."""
