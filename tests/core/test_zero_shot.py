from __future__ import annotations

import json

import numpy as np
import pytest

from sentence_emo.calibration import Calibration
from sentence_emo.cli import main
from sentence_emo.zero_shot import EmotionZeroShot, decide

TEXTS = ["I love my dog so much", "I hate this awful day", "we won the game"]


@pytest.fixture(scope="module")
def clf(tiny_model_dir):
    return EmotionZeroShot.from_pretrained(str(tiny_model_dir))


def test_from_pretrained_reads_calibration(clf):
    assert clf.calibration == Calibration(scale=10.0, bias=-2.0)


def test_probabilities_are_calibrated_cosines(clf):
    sims = clf.similarities(TEXTS, ["joy", "anger"])
    assert sims.shape == (3, 2) and np.all(np.abs(sims) <= 1.0 + 1e-5)
    assert np.allclose(clf.predict_proba(TEXTS, ["joy", "anger"]), 1 / (1 + np.exp(-(10 * sims - 2))), atol=1e-6)


def test_predict_rules(clf):
    labels = ["joy", "anger", "sadness", "fear"]
    probs = clf.predict_proba(TEXTS, labels)
    single = clf.predict(TEXTS, labels, multi_label=False)
    assert [p.labels for p in single] == [[labels[int(i)]] for i in probs.argmax(1)]
    multi = clf.predict(TEXTS, labels, threshold=0.3)
    for p, row in zip(multi, probs):
        assert sorted(p.labels) == sorted(l for l, v in zip(labels, row) if v >= 0.3)
        assert p.scores == pytest.approx(dict(zip(labels, row.tolist())))
    top2 = clf.predict(TEXTS, labels, top_k=2)
    assert all(len(p.labels) == 2 for p in top2)
    assert top2[0].labels[0] == labels[int(probs[0].argmax())]  # best first


def test_descriptions_and_templates_change_what_is_embedded(clf):
    by_name = clf.similarities(TEXTS, ["joy", "anger"])
    described = clf.similarities(TEXTS, {"joy": "happy love", "anger": "hate awful"})
    templated = clf.similarities(TEXTS, ["joy", "anger"], template="this text expresses {}")
    assert not np.allclose(by_name, described) and not np.allclose(by_name, templated)
    assert len(clf._label_cache) >= 6  # label embeddings are cached per distinct string


def test_default_label_side_templates_and_prototypes(clf):
    from sentence_emo.labels import (DEFAULT_LABEL_TEMPLATE, DEFAULT_PROTOTYPES, default_prototype_vocabulary,
                                     label_templates)

    # a model without label calibration gets the recipe's label side
    assert clf.template == DEFAULT_LABEL_TEMPLATE and clf.prototypes == DEFAULT_PROTOTYPES > 0
    labels = ["joy", "anger"]
    plain = EmotionZeroShot(clf.model, clf.calibration, prototypes=0)
    ensemble = ["{}", "I feel {}."]  # several templates: the normalised mean of their embeddings
    parts = [plain.encode_labels(labels, template=t) for t in ensemble]
    both = np.sum(parts, axis=0)
    both /= np.linalg.norm(both, axis=1, keepdims=True)
    assert np.allclose(plain.encode_labels(labels, template=ensemble), both, atol=1e-6)
    mean = plain.encode_labels(labels)
    assert np.allclose(mean, both, atol=1e-6)  # the recipe: names & "I feel {}." averaged
    assert label_templates(DEFAULT_LABEL_TEMPLATE) == ("{}", "I feel {}.")
    # prototypes: + the mean of the k nearest shipped-corpus descriptors, renormalised
    vocab = default_prototype_vocabulary()
    assert len(vocab) > 500 and "frustration" in vocab
    vocab_emb = plain._encode(vocab)
    top = np.argsort(-(mean @ vocab_emb.T), axis=1)[:, :DEFAULT_PROTOTYPES]
    expected = mean + vocab_emb[top].mean(axis=1)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(clf.encode_labels(labels), expected, atol=1e-5)
    # the switches: names only, no prototypes
    names_only = EmotionZeroShot(clf.model, clf.calibration, template="{}", prototypes=0)
    assert np.allclose(names_only.similarities(TEXTS, labels), clf.encode_texts(TEXTS) @ parts[0].T, atol=1e-6)
    assert not np.allclose(names_only.similarities(TEXTS, labels), clf.similarities(TEXTS, labels))
    custom = EmotionZeroShot(clf.model, clf.calibration, prototype_vocabulary=["happy", "mad"], prototypes=1)
    assert custom.prototype_embeddings().shape[0] == 2
    with pytest.raises(ValueError, match="non-empty list"):
        clf.encode_labels(labels, template=[])
    with pytest.raises(ValueError, match="exactly one"):
        clf.encode_labels(labels, template=["{}", "no placeholder"])
    with pytest.raises(ValueError, match="prototypes must be an integer"):
        EmotionZeroShot(clf.model, clf.calibration, prototypes=-1)


def test_valence_score_is_difference_of_means(clf):
    pos, neg = ["happy", "pleased"], ["sad", "upset"]
    score = clf.score(TEXTS, pos, neg)
    expected = clf.similarities(TEXTS, pos).mean(1) - clf.similarities(TEXTS, neg).mean(1)
    assert np.allclose(score, expected, atol=1e-6)


@pytest.mark.parametrize(
    "texts, labels, kwargs, error, message",
    [
        (TEXTS, [], {}, ValueError, "label set is empty"),
        (TEXTS, ["joy", "Joy"], {}, ValueError, "duplicate label 'Joy'"),
        (TEXTS, ["joy", " "], {}, ValueError, "label name is empty"),
        (TEXTS, "joy,anger", {}, TypeError, "split it"),
        ([], ["joy"], {}, ValueError, "no texts given"),
        (["ok", "  "], ["joy"], {}, ValueError, "text #1 is empty"),
        (["ok", None], ["joy"], {}, TypeError, "text #1 must be a string"),
        (TEXTS, ["joy"], {"threshold": 2}, ValueError, "threshold is a probability"),
        (TEXTS, ["joy", "anger"], {"top_k": 3}, ValueError, "top_k must be an integer between 1 and"),
        (TEXTS, ["joy"], {"template": "no placeholder"}, ValueError, "template must be a string containing"),
    ],
)
def test_bad_input_errors(clf, texts, labels, kwargs, error, message):
    with pytest.raises(error, match=message):
        clf.predict(texts, labels, **kwargs)


def test_decide_top_k_without_threshold():
    assert decide(np.array([[0.1, 0.3, 0.2]]), threshold=None, top_k=2).tolist() == [[False, True, True]]


def test_predict_cli(tiny_model_dir, tmp_path, capsys):
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps({"joy": "happy", "anger": "angry"}))
    assert main(["predict", "--model", str(tiny_model_dir), "--label-file", str(labels), "--format", "jsonl",
                 "--positive", "happy", "--negative", "sad", "--single-label", *TEXTS[:2]]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["text"] for r in rows] == TEXTS[:2]
    assert all(len(r["labels"]) == 1 and set(r["scores"]) == {"joy", "anger"} and "score" in r for r in rows)
    assert main(["predict", "--model", str(tiny_model_dir), "--labels", "", "hi"]) == 2
    assert "label set is empty" in capsys.readouterr().err
    assert main(["predict", "--model", str(tmp_path / "nope"), "--labels", "joy", "hi"]) == 2
    assert "neither a local directory" in capsys.readouterr().err


def test_label_helpers_keep_their_old_import_path():
    import sentence_emo.labels as labels
    import sentence_emo.zero_shot as zero_shot

    for name in ("VALENCE_POSITIVE", "VALENCE_NEGATIVE", "DEFAULT_ANCHORS", "normalise_labels", "label_templates",
                 "expand_with_prototypes", "check_template", "DEFAULT_PROTOTYPES"):
        assert name in zero_shot.__all__ and getattr(zero_shot, name) is getattr(labels, name)
