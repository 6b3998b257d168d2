"""Fixtures for eval_suite tests: a miniature benchmark folder written in the exact shared-data formats."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest


GOEMOTIONS_LABELS = [
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion", "curiosity", "desire",
    "disappointment", "disapproval", "disgust", "embarrassment", "excitement", "fear", "gratitude", "grief", "joy",
    "love", "nervousness", "optimism", "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
]
ISEAR_COLUMNS = ("ID,CITY,COUN,SUBJ,SEX,AGE,RELI,PRAC,FOCC,MOCC,FIEL,EMOT,WHEN,LONG,INTS,ERGO,TROPHO,TEMPER,EXPRES,"
                 "MOVE,EXP1,EXP2,EXP10,PARAL,CON,EXPC,PLEA,PLAN,FAIR,CAUS,COPING,MORL,SELF,RELA,VERBAL,NEUTRO,"
                 "Field1,Field3,Field2,MYKEY,SIT,STATE").split(",")

# (text as it appears after CSV unquoting, label ids, comment id, GPT-4 label or FAILED)
GOEMOTIONS_TEST = [
    ("I love this so much, thank you!", "15,18", "t1", "gratitude,love"),
    ('He said "wow" and left', "26", "t2", "surprise"),
    ("This is the worst day ever", "25,9", "t3", "FAILED_ANNOTATION_REJECTED"),
    ("I am so angry at you", "2", "t4", "anger,annoyance"),
    ("ok", "27", "t5", "neutral"),
    ("I am afraid of the dark", "14", "t6", "fear"),
    ("What a great game, so excited", "13,17", "t7", "excitement,joy"),
    ("thanks for the help", "15", "t8", "gratitude"),
]
GOEMOTIONS_DEV = [
    ("so happy for you", "17", "d1", "joy"),
    ("I hate that movie", "2,11", "d2", "anger,disgust"),
    ("thank you friend", "15", "d3", "gratitude"),
    ("I miss my dog", "25", "d4", "FAILED_ANNOTATION_OUT_OF_RETRY"),
    ("what time is it", "27", "d5", "neutral"),
    ("that is amazing, love it", "0,18", "d6", "admiration,love"),
]
SEMEVAL_LABELS = ["anger", "anticipation", "disgust", "fear", "joy", "love", "optimism", "pessimism", "sadness",
                  "surprise", "trust"]
SEMEVAL_DEV = [
    ("2018-En-0001", "so angry right now #mad", [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("2018-En-0002", 'love my "family" so much', [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]),
    ("2018-En-0003", "scared of tomorrow", [0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0]),
    ("2018-En-0004", "just a normal day", [0] * 11),
    ("2018-En-0005", "so sad and tired", [0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]),
]
SEMEVAL_TRAIN = [
    ("2018-En-1001", "happy day with friends", [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]),
    ("2018-En-1002", "I hate waiting", [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("2018-En-1003", "I feel hopeful", [0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1]),
    ("2018-En-1004", "worried about the game", [0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0]),
]
ISEAR_ROWS = [
    ("joy", "When I passed the exam and my family was proud."),
    ("fear", "When I was alone at night and heard a noise | outside."),
    ("anger", "When my friend lied to me."),
    ("sadness", "When my dog died."),
    ("disgust", "When I saw rotten food, \"yuck\"."),
    ("shame", "When I forgot my friend's birthday."),
    ("guilt", "When I did not help my mother."),
    ("joy", "When I won the game."),
]
EMOBANK_ROWS = [
    ("e1", "train", 3.0, 3.0, 3.2, 'Remember what she said in my last letter? "'),
    ("e2", "test", 4.2, 3.4, 3.1, "I am so happy and delighted today"),
    ("e3", "test", 1.8, 3.6, 2.9, "This is terrible, I feel miserable"),
    ("e4", "test", 3.0, 2.8, 3.0, "The meeting is at noon."),
    ("e5", "dev", 3.1, 3.0, 3.0, "Nothing much."),
    ("e6", "test", 3.6, 3.1, 3.2, "a good day with my family"),
]


def write_fake_data_dir(root: Path) -> Path:
    """The shared benchmark layout in miniature, byte formats as in the real files."""
    (root / "goemotions").mkdir(parents=True)
    (root / "goemotions" / "labels.txt").write_text("\n".join(GOEMOTIONS_LABELS), encoding="utf-8")  # no trailing \n
    for split, rows in (("test", GOEMOTIONS_TEST), ("dev", GOEMOTIONS_DEV), ("train", GOEMOTIONS_DEV)):
        with (root / "goemotions" / f"{split}.tsv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", lineterminator="\n")  # quotes texts holding '"' as """..."""
            for text, labels, cid, _ in rows:
                writer.writerow([text, labels, cid])
    (root / "gpt4_goemotions_chailab").mkdir()
    for name, rows in (("test", GOEMOTIONS_TEST), ("val", GOEMOTIONS_DEV)):
        with (root / "gpt4_goemotions_chailab" / f"goemotions_complete_{name}_annotations.csv").open(
                "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["", "text", "id", "label", "human_label", "gpt_label"])
            for i, (text, labels, cid, gpt) in enumerate(rows):
                human = ",".join(GOEMOTIONS_LABELS[int(x)] for x in labels.split(","))
                writer.writerow([i, text, cid, labels, human, gpt])
    (root / "semeval2018_ec").mkdir()
    for split, rows in (("dev", SEMEVAL_DEV), ("train", SEMEVAL_TRAIN)):
        lines = ["\t".join(["ID", "Tweet", *SEMEVAL_LABELS])]
        lines += ["\t".join([i, t, *map(str, v)]) for i, t, v in rows]
        (root / "semeval2018_ec" / f"2018-E-c-En-{split}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "isear").mkdir()
    with (root / "isear" / "isear_parsed.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(ISEAR_COLUMNS)
        for k, (label, text) in enumerate(ISEAR_ROWS):
            row = {c: "1" for c in ISEAR_COLUMNS}
            row.update(ID=str(11001 + k), Field1=label, MYKEY=f"01100{k}", SIT=text)
            writer.writerow([row[c] for c in ISEAR_COLUMNS])
    (root / "emobank").mkdir()
    with (root / "emobank" / "emobank.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "split", "V", "A", "D", "text"])
        for row in EMOBANK_ROWS:
            writer.writerow(row)
    (root / "README.md").write_text("# miniature benchmark data for tests\n", encoding="utf-8")
    return root


@pytest.fixture()
def fake_data_dir(tmp_path) -> Path:
    return write_fake_data_dir(tmp_path / "data")


