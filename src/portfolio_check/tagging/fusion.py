"""The learned fusion: features of (piece, KSB) -> probability that an assessor accepts it.

Why a shipped data file and numpy only: the weights are a logistic regression trained by
``bench/train_tagger.py`` with leave-one-apprentice-out cross-validation over the dev cohorts
(threshold and regularisation chosen on inner folds, never on the scored one). Applying it is a
dot product, so the package needs no scikit-learn at run time, and the JSON file can be read,
diffed and rebuilt byte for byte (``python bench/train_tagger.py --check``).

Two models ship: ``generic`` uses only features any standard file yields (similarities to the
KSB text, guard shares, evidence type, length, position); a per-standard model (``ST0071``)
adds exemplar centroids learned from its labelled pieces and the lexicon's score. A standard
with no model of its own, or whose KSB text changed since training, gets the generic model.
"""
from __future__ import annotations

import base64
import functools
import importlib.resources
import json
from dataclasses import dataclass, field

import numpy as np

from .semantic import Exemplars

MODEL_FILE = "fusion.json"


@dataclass(frozen=True)
class FusionModel:
    name: str
    features: tuple[str, ...]
    mean: np.ndarray = field(repr=False)
    scale: np.ndarray = field(repr=False)
    coef: np.ndarray = field(repr=False)
    intercept: float = 0.0
    threshold: float = 0.5
    standard_hash: str | None = None
    exemplars: Exemplars | None = field(default=None, repr=False)
    exemplar_codes: tuple[str, ...] = ()

    @property
    def uses_lexicon(self) -> bool:
        return "lex" in self.features

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    @classmethod
    def from_dict(cls, name: str, d: dict) -> "FusionModel":
        ex = d.get("exemplars")
        exemplars = None
        if ex:
            units = unit_ksb = prior = pieces = pairs = None
            if "units" in ex:
                unit_ksb = np.asarray(ex["unit_ksb"], dtype=np.int64)
                units = _matrix(ex["units"], len(unit_ksb))
            if "prior" in ex:
                prior = np.asarray(ex["prior"], dtype=np.float64)
            if "pieces" in ex:
                pairs = np.asarray(ex["piece_pairs"], dtype=np.int64).reshape(-1, 2)
                pieces = _matrix(ex["pieces"], int(pairs[:, 0].max()) + 1 if len(pairs) else 0)
            exemplars = Exemplars(_matrix(ex["unit"], len(ex["codes"])), _matrix(ex["piece"], len(ex["codes"])),
                                  units, unit_ksb, prior, pieces, pairs)
        return cls(name=name, features=tuple(d["features"]), mean=np.asarray(d["mean"]), scale=np.asarray(d["scale"]),
                   coef=np.asarray(d["coef"]), intercept=float(d["intercept"]), threshold=float(d["threshold"]),
                   standard_hash=d.get("standard_hash"), exemplars=exemplars,
                   exemplar_codes=tuple(ex["codes"]) if ex else ())


def _matrix(b64: str, rows: int) -> np.ndarray:
    """Exemplar centroids are stored as little-endian float16 in base64 (data only, no pickle)."""
    raw = np.frombuffer(base64.b64decode(b64), dtype="<f2").astype(np.float32)
    return raw.reshape(rows, -1)


@functools.lru_cache(maxsize=1)
def load_models() -> dict[str, FusionModel]:
    path = importlib.resources.files("portfolio_check") / "tagging" / "data" / MODEL_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: FusionModel.from_dict(name, d) for name, d in data["models"].items()}


def model_for(standard_code: str, standard_hash: str) -> FusionModel:
    models = load_models()
    own = models.get(standard_code)
    if own is not None and own.standard_hash == standard_hash:
        return own
    return models["generic"]


def own_model_bar(standard) -> float | None:
    """The acceptance bar of the standard's own trained model, or None when it has none (it
    runs on the generic model, or its model needs a lexicon it does not ship): the one a bar
    can be learned for (tagging/calibration.py). Loads no sentence model."""
    from .semantic import standard_hash
    model = model_for(standard.code, standard_hash(standard))
    lexicon = importlib.resources.files("portfolio_check") / "tagging" / "data" / f"{standard.code}.yaml"
    if model.name == "generic" or (model.uses_lexicon and not lexicon.is_file()):
        return None
    return model.threshold
