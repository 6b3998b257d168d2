"""WiSE-FT: a weight-space ensemble of the distilled student and its base encoder.

Fine-tuning on one teacher corpus specialises the encoder to that corpus's texts and descriptor
vocabulary; on label sets and texts the teacher never saw, part of the base encoder's general
semantic similarity is lost. Wortsman et al. (2022) showed that linearly interpolating the weights of
the fine-tuned and the zero-shot model recovers most of that robustness at little in-domain cost:

.. math::

    \\theta_\\alpha = \\alpha\\,\\theta_{\\text{student}} + (1 - \\alpha)\\,\\theta_{\\text{base}}

``alpha = 1`` is the student, ``alpha = 0`` the base encoder. The recipe's ``alpha`` was selected on
validation label sets by ``benchmarks/select_recipe.py`` (see the README's recipe table).

References:
    Wortsman et al. (2022). Robust fine-tuning of zero-shot models. CVPR. arXiv:2109.01903.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import torch

logger = logging.getLogger(__name__)


def interpolate_state_dicts(student: Mapping[str, torch.Tensor], base: Mapping[str, torch.Tensor],
                            alpha: float) -> dict[str, torch.Tensor]:
    """``alpha * student + (1 - alpha) * base`` for every floating-point tensor (others from the student).

    >>> s, b = {"w": torch.tensor([1.0, 3.0])}, {"w": torch.tensor([3.0, 1.0])}
    >>> interpolate_state_dicts(s, b, 0.25)["w"].tolist()
    [2.5, 1.5]
    """
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be a number in [0, 1] (1 = the student, 0 = the base), got {alpha!r}")
    missing = sorted(set(student) - set(base))
    if missing:
        raise ValueError(f"the base model is not the student's base: it lacks {missing[:3]} "
                         f"({len(missing)} tensors); interpolate only a student with the encoder it was trained from")
    out: dict[str, torch.Tensor] = {}
    for name, value in student.items():
        other = base[name]
        if other.shape != value.shape:
            raise ValueError(f"tensor {name!r} has shape {tuple(value.shape)} in the student but "
                             f"{tuple(other.shape)} in the base model; not the same architecture")
        if value.is_floating_point():
            out[name] = (alpha * value.float() + (1.0 - alpha) * other.to(value.device).float()).to(value.dtype)
        else:
            out[name] = value
    return out


def apply_wise_ft(model: torch.nn.Module, base: torch.nn.Module, alpha: float) -> torch.nn.Module:
    """Interpolate ``model``'s weights towards ``base`` in place (both e.g. SentenceTransformers)."""
    if alpha == 1.0:
        return model
    mixed = interpolate_state_dicts(model.state_dict(), base.state_dict(), alpha)
    model.load_state_dict(mixed)
    logger.info("WiSE-FT: weights = %.2f * student + %.2f * base", alpha, 1.0 - alpha)
    return model
