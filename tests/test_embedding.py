"""The ONNX export of the packaged MiniLM gives the vectors sentence-transformers gives;
its int8 quantization gives vectors close to them."""

import numpy as np

from assistant.index.embedding import _runs, load_embed_model, model_files

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
    ours = load_embed_model(precision="fp32").embed(TEXTS)
    assert ours.shape == reference.shape == (3, 384)
    assert np.abs(ours - reference).max() < 1e-4


def test_vectors_are_unit_length_and_order_independent():
    model = load_embed_model()
    forward = model.embed(TEXTS)
    backward = model.embed(TEXTS[::-1])[::-1]
    assert np.allclose(np.linalg.norm(forward, axis=1), 1.0, atol=1e-5)
    assert np.allclose(forward, backward, atol=1e-5)


def test_a_text_gets_the_same_vector_alone_or_run_with_longer_and_shorter_ones():
    model = load_embed_model()
    # Lengths from a few word pieces to past the model's limit, so runs of several
    # texts are padded and a text longer than a run's budget runs alone.
    texts = [" ".join(["word"] * n) + " ends here." for n in (1, 3, 9, 27, 81, 243, 400)]
    together = model.embed(texts * 3)
    alone = np.stack([model.embed([text])[0] for text in texts * 3])
    assert np.allclose(together, alone, atol=1e-5)


def test_runs_go_shortest_first_within_their_word_piece_budget():
    lengths = [30, 200, 10, 600, 30, 250]
    runs = _runs(lengths, 512)
    assert [i for run in runs for i in run] == sorted(range(6), key=lengths.__getitem__)
    for run in runs:
        padded = len(run) * max(lengths[i] for i in run)
        assert padded <= 512 or len(run) == 1
    assert [3] in runs  # longer than the budget: alone


def test_quantized_vectors_are_close_to_the_exact_ones_but_not_the_same():
    exact = load_embed_model(precision="fp32").embed(TEXTS)
    quantized = load_embed_model(precision="int8").embed(TEXTS)
    cosines = (exact * quantized).sum(axis=1)
    assert cosines.min() > 0.98
    assert np.abs(exact - quantized).max() > 1e-3  # really the int8 model
    # Which text is nearest the question does not change.
    assert np.argmax(exact[1:] @ exact[0]) == np.argmax(quantized[1:] @ quantized[0])
