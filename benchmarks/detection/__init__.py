"""The detection benchmark: corpora, configurations, tool runs and scores (see mutation_score.py)."""
