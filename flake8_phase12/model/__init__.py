"""The project model: facts of every module of the governed codebase, resolved across files.

Below the rules, `init`, `compat`, the audit and the pylint plugin; above the per-file analysis
helpers and the configuration. `roots` finds where imports start, `facts` reads one module's
interface in one pass, `store` keeps facts on disk per file, `project` resolves names, classes
and aliases across modules.
"""
