"""kgraph: who is responsible for what in Chinese policy texts, as a knowledge graph."""
__version__ = "0.1.0"
