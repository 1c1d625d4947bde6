"""Files shipped inside the package: the ontology, lexicons, sample corpus, queries.

The top-level `ontology/` and `data/` folders are the one source; setup.cfg maps
them into the wheel as the packages `kgraph.ontology` and `kgraph.data`, so the
same code finds them in a checkout, an editable install and an installed wheel.
"""
from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path


_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(package: str, checkout_name: str) -> Traversable:
    try:
        return files(package)
    except ModuleNotFoundError:
        # running from a source checkout that was not installed (python -m kgraph.cli, plain pytest)
        return _CHECKOUT / checkout_name


def ontology_file(name: str) -> Traversable:
    """A file of the ontology folder, e.g. ``kgraph.ttl`` or ``shapes.ttl``."""
    return _folder("kgraph.ontology", "ontology").joinpath(name)


def data_file(*parts: str) -> Traversable:
    """A file below the data folder, e.g. ``data_file("lexicon", "actors.tsv")``."""
    node = _folder("kgraph.data", "data")
    for part in parts:
        node = node.joinpath(part)
    return node


def sample_corpus() -> list[Path]:
    """Paths of the bundled sample documents (what `build`/`extract` read with no input)."""
    folder = data_file("corpus")
    paths = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.startswith("."):
            with as_file(entry) as path:
                paths.append(Path(path))
    return paths
