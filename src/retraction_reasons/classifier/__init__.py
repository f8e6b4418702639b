"""The scikit-learn half: the reason classifier and the baselines it is measured against."""

from .baselines import CueRulesBaseline, KeywordBaseline, tfidf_logreg_baseline
from .estimator import ReasonClassifier, best_thresholds

__all__ = ["ReasonClassifier", "best_thresholds", "KeywordBaseline", "CueRulesBaseline", "tfidf_logreg_baseline"]
