"""The tiny corpus is data for the benchmark, not tests of this project."""

collect_ignore_glob = ["tiny/*"]
