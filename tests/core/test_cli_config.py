"""``train``, ``annotate`` and ``eval`` take their flags from their config dataclasses, so flags and defaults cannot
drift: every field has a flag whose default is the field's."""

from __future__ import annotations

import dataclasses
import re

import pytest

from eval_suite.cli import OwnData, command_line
from eval_suite.suite import SuiteConfig
from sentence_emo.annotate.cli import AnnotateJob
from sentence_emo.annotate.config import AnnotateConfig
from sentence_emo.cli import build_parser, main
from sentence_emo.training import TrainConfig

#: command -> (shortest valid argv, its config dataclasses, fields given in argv, Python-only fields)
COMMANDS = {
    "train": ([], [TrainConfig], set(), {"evaluator"}),
    "annotate": (["in.csv", "--model", "m", "--out", "o"], [AnnotateJob, AnnotateConfig], {"model", "out"},
                 {"api_key"}),
    "eval": (["--out", "o"], [SuiteConfig, OwnData], {"out_dir"}, {"command"}),
}


def _default(field: dataclasses.Field):
    return field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default


@pytest.mark.parametrize("command", COMMANDS)
def test_every_config_field_is_a_flag_with_the_field_default(command, capsys):
    argv, configs, given, python_only = COMMANDS[command]
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "(default: " in help_text
    args = build_parser(command).parse_args([command, *argv])
    for config in configs:
        for field in dataclasses.fields(config):
            has_flag = re.search(rf"--{field.name.replace('_', '-')}(?![\w-])", help_text) is not None
            assert has_flag is (field.name not in python_only), field.name
            if field.name in python_only:
                continue
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


def test_eval_command_line_names_the_changed_options():
    args = build_parser("eval").parse_args(["eval", "--suite", "paper", "--out", "o", "--emobank-arousal", "--quiet",
                                            "--no-plots", "--negative", "", "--datasets", "isear,emobank"])
    assert (args.datasets, args.emobank_dimensions, args.show_progress, args.negative) == \
        (["isear", "emobank"], ("valence", "arousal"), False, [])
    assert command_line(args) == ("sentence-emo eval --model emo-distill --out-dir o --datasets isear,emobank "
                                  "--emobank-dimensions valence,arousal --negative '' --no-plots "
                                  "--no-show-progress --suite paper")
