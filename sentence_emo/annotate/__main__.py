"""``python -m sentence_emo.annotate INPUT --model MODEL --out DIR ...`` (same flags as ``sentence-emo annotate``)."""

import sys

from sentence_emo.annotate.cli import main

if __name__ == "__main__":
    sys.exit(main())
