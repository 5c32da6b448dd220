"""The semantic channel's model: the real all-MiniLM-L6-v2 on onnxruntime, its files checked."""

import shutil

import numpy as np
import pytest

from matchmaker.engine import embedder
from matchmaker.engine.embedder import MiniLM, ModelMissing
from matchmaker.engine.model import Attendee

# The first six values of each sentence's vector as sentence-transformers 5 (PyTorch 2.13)
# computes them from the same package's files: the ONNX graph is the same model.
REFERENCE = {
    "ML engineer, recommender systems": [-0.04447, -0.10916, 0.02534, 0.01988, 0.02105, -0.03028],
    "building ranking models": [0.00462, -0.10145, 0.03032, -0.00241, -0.0337, 0.05905],
    "I like to bake bread on weekends": [0.02373, 0.01174, 0.03957, 0.06102, -0.0387, 0.00732],
}


@pytest.fixture(scope="module")
def model():
    return MiniLM()


@pytest.fixture(scope="module")
def float_model():
    return MiniLM(int8=False)


def test_the_float_vectors_are_the_reference_models(float_model):
    vectors = float_model.embed(list(REFERENCE))

    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(vectors[:, :6], list(REFERENCE.values()), atol=1e-5)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


def test_the_int8_vectors_stay_close_to_the_float_ones(model, float_model):
    texts = [*REFERENCE, "Geospatial data with GeoPandas and shapely", "Async web servers"]
    cosines = np.einsum("ij,ij->i", model.embed(texts), float_model.embed(texts))

    assert model.name == "all-MiniLM-L6-v2 int8" and float_model.name == "all-MiniLM-L6-v2"
    assert cosines.min() > 0.985  # 0.995 on average over the dev data's profiles


def test_meaning_without_a_shared_word(model, float_model):
    ml, ranking, bread = float_model.embed(list(REFERENCE))
    assert round(float(ml @ ranking), 3) == 0.455
    assert round(float(ml @ bread), 3) == 0.067

    # int8: within the quantisation's tolerance, which the CPU's kernels move (0.45 with
    # AVX-512 VNNI, 0.46 on AVX2 alone).
    ml, ranking, bread = model.embed(list(REFERENCE))
    assert abs(float(ml @ ranking) - 0.455) < 0.015
    assert abs(float(ml @ bread) - 0.067) < 0.015


def test_a_vector_depends_on_its_text_alone(model):
    alone = model.embed(["building ranking models"])[0]
    among = model.embed(["I like to bake bread on weekends " * 20, "building ranking models"])[1]

    assert np.array_equal(alone, among)


def test_an_empty_text_has_no_direction(model):
    vectors = model.embed(["", "   ", "python"])

    assert not vectors[0].any() and not vectors[1].any() and vectors[2].any()


def test_a_long_text_is_read_to_its_first_256_tokens(model):
    first = "Geospatial data with GeoPandas and shapely. " * 30
    second = "Async web servers and event loops in Python. " * 12
    encoding = model.tokenizer.encode(first)
    assert len(encoding.ids) == 256 and encoding.overflowing

    cut, whole = model.embed([first, first + second])

    assert np.allclose(cut, whole, atol=1e-6)


def test_a_changed_model_file_is_refused(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(embedder.model_folder(), folder)
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")

    with pytest.raises(ModelMissing, match=r"tokenizer.json has sha256 44136fa3.*, not be50c36"):
        MiniLM(folder)


def test_without_the_package_the_loader_says_why(monkeypatch):
    monkeypatch.setattr(embedder, "PACKAGE", "no_such_model_package")
    monkeypatch.setattr(embedder, "_loaded", {})
    monkeypatch.setattr(embedder, "_why", {})

    assert embedder.load_embedder() is None
    assert embedder.why_not_loaded() == (
        "the package no-such-model-package is not installed (pip install -r requirements.txt)"
    )


def test_the_text_read_is_headline_interests_and_bio_without_links():
    person = Attendee(
        id="a",
        headline="Data engineer",
        interests=("dbt", "airflow"),
        bio="Pipelines at scale https://example.org/x [recorded at PyCon]",
    )

    assert embedder.semantic_text(person) == "Data engineer\ndbt, airflow\nPipelines at scale"


def test_vectors_files_round_trip_and_name_their_model(tmp_path):
    people = [
        Attendee(
            id=f"p{k}",
            vector=np.full(384, k, dtype=np.float32),
            free_vectors=np.full((2, 384), -k, dtype=np.float32),
        )
        for k in range(3)
    ]
    path = str(tmp_path / "v.npz")
    embedder.save_vectors(path, people)

    loaded = embedder.load_vectors(path)

    assert list(loaded) == ["p0", "p1", "p2"]
    assert loaded["p2"][0][0] == 2.0 and loaded["p2"][1].shape == (2, 384)
    assert loaded["p2"][1][1, 0] == -2.0
    with pytest.raises(
        embedder.VectorFileError, match="vectors of the model 'all-MiniLM-L6-v2 int8'"
    ):
        embedder.load_vectors(path, model="another-model")
    (tmp_path / "bad.npz").write_bytes(b"not numpy")
    with pytest.raises(embedder.VectorFileError, match="not a vectors file"):
        embedder.load_vectors(str(tmp_path / "bad.npz"))


def test_with_vectors_embeds_only_those_without(model):
    known = np.zeros(384, dtype=np.float32)
    known[0] = 1.0
    free = np.zeros((2, 384), dtype=np.float32)
    people = [
        Attendee(id="a", bio="Django ORM", looking_for="async views"),
        Attendee(id="b", bio="Rust", vector=known, free_vectors=free),
    ]

    done = embedder.with_vectors(people, model)

    assert done[1].vector is known and done[1].free_vectors is free
    assert np.allclose(done[0].vector, model.embed(["Django ORM"])[0], atol=1e-6)
    assert np.allclose(done[0].free_vectors[0], model.embed(["async views"])[0], atol=1e-6)
    assert not done[0].free_vectors[1].any()  # no "can help with"
    assert done[0] == people[0]  # the vectors are not part of who the attendee is
