"""The ONNX export of the packaged MiniLM gives the vectors sentence-transformers gives."""

import numpy as np

from assistant.index.embedding import load_embed_model, model_files

TEXTS = [
    "Which cities were proposed for the summit?",
    "Potential host cities under consideration include Budapest, Hungary, and Geneva.",
    "NATO was founded in 1949.",
]


def test_onnx_vectors_match_sentence_transformers():
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_files()), device="cpu").encode(
        TEXTS, normalize_embeddings=True
    )
    ours = load_embed_model().embed(TEXTS)
    assert ours.shape == reference.shape == (3, 384)
    assert np.abs(ours - reference).max() < 1e-4


def test_vectors_are_unit_length_and_order_independent():
    model = load_embed_model()
    forward = model.embed(TEXTS)
    backward = model.embed(TEXTS[::-1])[::-1]
    assert np.allclose(np.linalg.norm(forward, axis=1), 1.0, atol=1e-5)
    assert np.allclose(forward, backward, atol=1e-5)
