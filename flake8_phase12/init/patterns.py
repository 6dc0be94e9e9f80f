"""Module patterns for the configuration: the shortest dotted suffix that names one module.

The rules match a pattern against a dotted suffix of a file's project path (`tool_runner`
matches `src.server.app.services.tool_runner`), so the shortest suffix that matches nothing
else in the project is both readable and exact. A default pattern "fits" when it matches the
discovered module and nothing else, in which case the key is left out of the proposal.
"""

from __future__ import annotations

from collections.abc import Iterable

from flake8_phase12.analysis.context import module_matches


def module_pattern(target: str, universe: Iterable[str]) -> str:
    """The shortest suffix of `target` that matches no other module or package."""
    others = [name for name in universe if name != target]
    parts = target.split(".")
    for size in range(1, len(parts) + 1):
        pattern = ".".join(parts[-size:])
        if not any(module_matches(name, (pattern,)) for name in others):
            return pattern
    return target


def package_pattern(package: str, universe: Iterable[str]) -> str:
    """The shortest `suffix.*` that matches `package` and its modules and nothing else."""
    outside = [name for name in universe if name != package and not name.startswith(package + ".")]
    parts = package.split(".")
    for size in range(1, len(parts) + 1):
        pattern = ".".join(parts[-size:]) + ".*"
        if not any(module_matches(name, (pattern,)) for name in outside):
            return pattern
    return package + ".*"


def pattern_fits(pattern: str, target: str, universe: Iterable[str]) -> bool:
    """`pattern` matches `target` (a module) and no other module or package."""
    if not pattern or not module_matches(target, (pattern,)):
        return False
    if pattern.endswith(".*"):
        package = _matched_package(pattern, target)
        return not any(module_matches(name, (pattern,)) for name in universe
                       if name != package and not name.startswith(package + "."))
    return not any(module_matches(name, (pattern,)) for name in universe if name != target)


def patterns_fit(patterns: Iterable[str], targets: Iterable[str], universe: Iterable[str]) -> bool:
    """Every target is matched by one of `patterns`, and they match no module outside the
    targets (a package pattern may match the package's other modules)."""
    patterns, targets, universe = list(patterns), list(targets), list(universe)
    if not all(module_matches(target, patterns) for target in targets):
        return False
    packages = {_matched_package(pattern, target) for pattern in patterns for target in targets
                if pattern.endswith(".*") and module_matches(target, (pattern,))}
    for name in universe:
        if name in targets or any(name == package or name.startswith(package + ".")
                                  for package in packages):
            continue
        if module_matches(name, patterns):
            return False
    return True


def _matched_package(pattern: str, target: str) -> str:
    """The package of `target` that `pattern` (`api.*`) stands for (`server.app.api`)."""
    stem = pattern[:-2].split(".")
    parts = target.split(".")
    for end in range(len(stem), len(parts) + 1):
        if module_matches(".".join(parts[:end]), (pattern[:-2],)):
            return ".".join(parts[:end])
    return target
