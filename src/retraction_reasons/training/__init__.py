"""Training and evaluation: read a labelled corpus, cross-validate by groups, fit, write a model."""

from .corpus import LabelledCorpus, read_labelled
from .grouping import near_duplicate_groups
from .evaluate import evaluate_model, multilabel_report
from .train import train_model

__all__ = ["LabelledCorpus", "read_labelled", "near_duplicate_groups", "multilabel_report",
           "evaluate_model", "train_model"]
