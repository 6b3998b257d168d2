"""``train``, ``annotate``, ``eval``, ``calibrate``, ``build-dataset`` and ``push-dataset`` take their flags from their
config dataclasses, so flags and defaults cannot drift: every field has a flag (or is a positional argument) whose
default is the field's."""

from __future__ import annotations

import dataclasses
import re

import pytest

from eval_suite.cli import OwnData, command_line
from eval_suite.suite import SuiteConfig
from sentence_emo.annotate.cli import AnnotateJob
from sentence_emo.annotate.config import AnnotateConfig
from sentence_emo.cli import build_parser, main
from sentence_emo.dataset_builder.config import PYTHON_ONLY, DescriptorCorpusConfig
from sentence_emo.label_calibration import CalibrateConfig
from sentence_emo.training import TrainConfig

#: command -> (shortest valid argv, its config dataclasses, fields given in argv, Python-only fields, positional fields)
COMMANDS = {
    "train": ([], [TrainConfig], set(), {"evaluator"}, set()),
    "annotate": (["in.csv", "--model", "m", "--out", "o"], [AnnotateJob, AnnotateConfig], {"model", "out"},
                 {"api_key"}, set()),
    "eval": (["--out", "o"], [SuiteConfig, OwnData], {"out_dir"}, {"command"}, set()),
    "calibrate": (["model-dir"], [CalibrateConfig], {"model"}, {"exclude_texts", "search"}, {"model"}),
    "build-dataset": (["in.jsonl", "--out", "o"], [DescriptorCorpusConfig], {"inputs"}, set(PYTHON_ONLY), {"inputs"}),
    "push-dataset": (["in.jsonl", "org/x"], [DescriptorCorpusConfig], {"inputs"}, set(PYTHON_ONLY), {"inputs"}),
}


def _default(field: dataclasses.Field):
    return field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default


@pytest.mark.parametrize("command", COMMANDS)
def test_every_config_field_is_a_flag_with_the_field_default(command, capsys):
    argv, configs, given, python_only, positional = COMMANDS[command]
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "(default: " in help_text
    args = build_parser(command).parse_args([command, *argv])
    for config in configs:
        for field in dataclasses.fields(config):
            has_flag = re.search(rf"--{field.name.replace('_', '-')}(?![\w-])", help_text) is not None
            assert has_flag is (field.name not in python_only | positional), field.name
            if field.name in python_only:
                continue
            if field.name in positional:
                assert field.metadata["help"] in " ".join(help_text.split()), field.name
            assert field.metadata.get("help"), f"{config.__name__}.{field.name} has no help"
            if field.name not in given:
                assert getattr(args, field.name) == _default(field), field.name


def test_train_flags_override_the_config_file_even_at_their_default(tmp_path):
    from sentence_emo.cli import config_from_args

    config_file = tmp_path / "train.yaml"
    config_file.write_text("epochs: 3\nseed: 7\ncorpus: mine.jsonl\n")
    args = build_parser("train").parse_args(["train", "--seed", "42", "--config", str(config_file), "--lr", "1e-3",
                                             "--no-progress", "--no-label-calibration"])
    config = config_from_args(TrainConfig, args)
    assert (config.epochs, config.seed, config.corpus) == (3, 42, ["mine.jsonl"])
    assert (config.learning_rate, config.disable_tqdm, config.label_calibration) == (1e-3, True, False)


def test_switches_take_no_value(tmp_path):
    args = build_parser("annotate").parse_args(["annotate", "--batch", "in.csv", "--model", "m", "--out", "o",
                                                "--no-progress"])
    assert (args.input, args.batch, args.progress, args.retry_failed) == ("in.csv", True, False, False)
    parser = build_parser("calibrate")
    for flags, centering in (([], None), (["--centering"], True), (["--no-centering"], False)):
        args = parser.parse_args(["calibrate", *flags, "model-dir", "--force"])
        assert (args.model, args.centering, args.force) == ("model-dir", centering, True)


def test_dataset_commands_keep_their_flags():
    from sentence_emo.hub import _corpus_options

    args = build_parser("push-dataset").parse_args(["push-dataset", "a.jsonl", "annotated", "org/x", "--failed",
                                                    "split", "--keep-duplicates", "--validation-fraction", "0",
                                                    "--private"])
    assert (args.inputs, args.repo_id, args.private) == (["a.jsonl", "annotated"], "org/x", True)
    assert _corpus_options(args) == {"inputs": ["a.jsonl", "annotated"], "validation_fraction": 0.0, "split_salt": "",
                                     "failed": "split", "deduplicate": False, "text_field": "text",
                                     "descriptors_field": "descriptors", "id_field": "id", "sep": ","}
    assert build_parser("build-dataset").parse_args(["build-dataset", "a.jsonl", "--out", "o",
                                                     "--no-deduplicate"]).deduplicate is False
    with pytest.raises(SystemExit):
        build_parser("build-dataset").parse_args(["build-dataset", "a.jsonl", "--out", "o", "--failed", "keep"])


def test_eval_command_line_names_the_changed_options():
    args = build_parser("eval").parse_args(["eval", "--suite", "paper", "--out", "o", "--emobank-arousal", "--quiet",
                                            "--no-plots", "--negative", "", "--datasets", "isear,emobank"])
    assert (args.datasets, args.emobank_dimensions, args.show_progress, args.negative) == \
        (["isear", "emobank"], ("valence", "arousal"), False, [])
    assert command_line(args) == ("sentence-emo eval --model emo-distill --out-dir o --datasets isear,emobank "
                                  "--emobank-dimensions valence,arousal --negative '' --no-plots "
                                  "--no-show-progress --suite paper")
