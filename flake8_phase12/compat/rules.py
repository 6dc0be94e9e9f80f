"""Checklist §8, Phase 11 compatibility: the records of the breaking changes `phase12 compat` finds.

These are project rules: they compare two trees (the Phase 11 surface from a git ref, a directory
or a snapshot against the working tree), so they have no `CHECKS`; `compat.diff` finds them and
fills their messages (`str.format` templates).

A module of their own, beside the comparison rather than in it: the rule catalog
(`rule_index.all_rules`, read by flake8's `# noqa` aliases, pylint's message table and
`phase12 rules`) imports this module, so it imports nothing but `catalog`; `compat.diff` loads
griffe (through `compat.signatures`), which the catalog must never pay for. The package's
`__init__` imports its public names on first use for the same reason.
"""

from __future__ import annotations

from flake8_phase12.catalog import Rule


REMOVED_PUBLIC_API = Rule(
    code="GOV801",
    symbol="removed-public-api",
    section=8,
    title="A public module, class, function or method of Phase 11 was removed",
    message="{kind} {name} was removed from the public API; restore it, or keep the old name as an "
            "alias of its replacement, so Phase 11 code that uses it keeps working",
    scope="project",
    docs="""
    ## What it does
    Compares the public names of the Phase 11 code (from a git ref, a directory or a snapshot
    made by `phase12 snapshot`) with the working tree and reports every public module, class,
    function, method, module attribute or re-export that no longer exists. A name is public
    when it has no leading underscore, or is listed in the module's `__all__` when there is
    one; a name a package `__init__` imports from its own modules is a public re-export. A name
    that is still importable (re-exported, inherited from a base class, or only dropped from
    `__all__`) is not reported.

    ## Why is this bad?
    Phase 12 must be additive: plugins, services and clients written against Phase 11 import
    these names. A removed name fails them at import time, often far from the change, and the
    checklist's "No Phase 11 code modified in a breaking way" no longer holds.

    ## Example
    ```python
    # Phase 11: server/app/services/plugin_registry.py
    def list_plugins() -> list[str]: ...

    # Phase 12: the function is gone
    ```

    ## Use instead
    ```python
    def list_plugins() -> list[str]:
        \"\"\"Kept for Phase 11 callers; prefer `registry.names()`.\"\"\"
        return registry.names()
    ```
    """,
)

RENAMED_PUBLIC_API = Rule(
    code="GOV802",
    symbol="renamed-public-api",
    section=8,
    title="A public name of Phase 11 was renamed or moved",
    message="{kind} {name} was probably renamed to {new_name} (same {evidence}); keep the old name "
            "as an alias of the new one so Phase 11 code that uses it keeps working",
    scope="project",
    docs="""
    ## What it does
    Reports a removed public name when the working tree has exactly one new name of the same
    kind and shape: in the same scope (a rename) or elsewhere under the same name (a move).
    "Same shape" is the same parameters for functions, the same public members for classes
    and modules. It is a heuristic, so the message says "probably".

    ## Why is this bad?
    A rename is a removal for every Phase 11 caller: `from app.services import JobService`
    fails when the class is now `JobManager`. Knowing the new name makes the fix one line.

    ## Example
    ```python
    # Phase 11
    class JobService: ...

    # Phase 12
    class JobManager: ...
    ```

    ## Use instead
    ```python
    class JobManager: ...

    JobService = JobManager  # Phase 11 name, kept for compatibility
    ```
    """,
)

CHANGED_SIGNATURE = Rule(
    code="GOV803",
    symbol="changed-signature",
    section=8,
    title="A public callable of Phase 11 changed its signature incompatibly",
    message="{name} changed incompatibly: {change}; {fix}",
    scope="project",
    docs="""
    ## What it does
    Compares the call signature (without `self`/`cls`) of every public function, method and
    class of Phase 11 with the working tree, using griffe's rules, and reports: a parameter
    removed or renamed, positional parameters reordered, a parameter made keyword-only or
    positional-only, a default removed or changed, a new required parameter, a function that
    became (or stopped being) `async`, an object that changed kind (a method turned into an
    attribute), a class that no longer derives from one of its Phase 11 bases, and a field of
    a pydantic-style model that lost its default or that is read or written under another
    name on the wire (`alias`, `validation_alias`, `serialization_alias`; a Phase 11 name still
    accepted through `AliasChoices` or `populate_by_name` is fine). New optional parameters
    are fine.

    ## Why is this bad?
    Phase 11 callers pass arguments by position and by keyword. Any of these changes makes a
    call that worked yesterday raise `TypeError` or, worse, bind a value to the wrong
    parameter. A changed default silently changes behaviour for every caller that omits it.

    ## Example
    ```python
    # Phase 11
    def execute_plugin(self, name: str, payload: dict) -> dict: ...

    # Phase 12: payload renamed, timeout required
    def execute_plugin(self, name: str, data: dict, timeout: float) -> dict: ...
    ```

    ## Use instead
    ```python
    def execute_plugin(self, name: str, payload: dict, timeout: float = 30.0) -> dict: ...
    ```
    """,
)

CHANGED_RETURN_SHAPE = Rule(
    code="GOV804",
    symbol="changed-return-shape",
    section=8,
    title="A Phase 11 route handler or public function no longer returns a dict key it returned",
    message="{name} no longer returns the key(s) {keys} that Phase 11 returned; return them again "
            "(new keys may be added, none removed)",
    scope="project",
    docs="""
    ## What it does
    For every FastAPI route of Phase 11 (matched by method and path) and every other public
    function and method, reads the top-level keys of the dicts it returns as its own code builds
    them, with GOV408's analysis (literals, `dict(...)`, variables built from them or given keys:
    `name["key"] = ...`, `.update(...)`; a comprehension's keys cannot be known) and
    reports keys that no longer appear in the matching return of the Phase 12 code. A mapping
    merged in (`{**self.plugin.describe(), ...}`, `card = entry.describe()` then
    `card["k"] = ...`) adds the keys of the project function it calls, when the project model
    can tell which one (through imports, `self`, and the classes attributes and parameters
    are annotated with) and that function returns one key set. Extra keys are additive and not
    reported, and so is a return that merges a mapping whose keys cannot be known. A function
    or route handler that now declares a type that is never a mapping (`-> list[Item]`,
    `response_model=list[Item]`, `-> tuple[...]`) lost every key; one whose returns are no
    longer dicts the source spells, with no such type, cannot be compared and is listed as a
    warning.

    ## Why is this bad?
    Clients of the Phase 11 API read those keys; the checklist allows "only additive
    metadata" and "no changed return shapes". A client reading `response["plugin"]`, or a
    caller reading `job.to_dict()["finished_at"]`, fails when the key is gone or renamed.

    ## Example
    ```python
    # Phase 11
    return {"result": result, "plugin": plugin_name}

    # Phase 12
    return {"data": result, "plugin": plugin_name}
    ```

    ## Use instead
    ```python
    return {"result": result, "plugin": plugin_name, "duration_ms": elapsed}
    ```
    """,
)

CHANGED_API_ROUTE = Rule(
    code="GOV805",
    symbol="changed-api-route",
    section=8,
    title="A Phase 11 API route was removed or changed its path or method",
    message="Phase 11 route {route} ({handler}) {change}; keep serving it (add the new route beside "
            "it rather than instead of it)",
    scope="project",
    docs="""
    ## What it does
    Collects the HTTP routes of both trees from FastAPI decorators (`@router.post("/x")`,
    `@app.get(...)`, `@router.api_route(path, methods=[...])`), `add_api_route(...)` calls,
    `APIRouter(prefix=...)` and `include_router(router, prefix=...)`, at module level or in a
    function such as `create_app()`, with paths and prefixes written as literals or as string
    constants (`@router.post(ANALYZE_PATH)`, imported or not), and reports every Phase
    11 method and path that the working tree no longer serves. When the same handler now
    serves another method or path, the message says where it went. Path parameter names do
    not matter (`/jobs/{id}` and `/jobs/{job_id}` are the same URL).

    ## Why is this bad?
    Clients call the Phase 11 endpoint by method and path; the checklist requires the same
    endpoint path and the same HTTP method. A moved route answers 404 or 405 to all of them.

    ## Example
    ```python
    # Phase 11
    @router.post("/analyze")
    # Phase 12
    @router.post("/v2/analyze")
    ```

    ## Use instead
    ```python
    @router.post("/analyze")
    @router.post("/v2/analyze")
    async def analyze(...): ...
    ```
    """,
)

CHANGED_PLUGIN_INTERFACE = Rule(
    code="GOV806",
    symbol="changed-plugin-interface",
    section=8,
    title="The plugin base class or protocol changed incompatibly",
    message="plugin interface {name} changed: {change}; {fix}",
    scope="project",
    docs="""
    ## What it does
    Checks the configured plugin base classes and protocols (`plugin_base_classes`, by default
    `BasePlugin`, `Plugin` and `PluginBase`): a method removed, renamed or re-signed, and a new
    abstract method (or a new member of a `Protocol`) that Phase 11 plugins do not implement,
    and a method that became abstract. A base re-exported by its package is the same class.

    ## Why is this bad?
    Every Phase 11 plugin implements this interface. Changing it breaks plugins the server
    team does not own: they stop loading (a new abstract method makes them uninstantiable) or
    fail when the runner calls them with the new signature.

    ## Example
    ```python
    class BasePlugin(ABC):
        @abstractmethod
        def run(self, payload: dict) -> dict: ...

        @abstractmethod  # new in Phase 12: every Phase 11 plugin is now abstract
        def validate(self, payload: dict) -> None: ...
    ```

    ## Use instead
    ```python
    class BasePlugin(ABC):
        @abstractmethod
        def run(self, payload: dict) -> dict: ...

        def validate(self, payload: dict) -> None:
            \"\"\"Optional in Phase 12: the default accepts everything.\"\"\"
    ```
    """,
)

REMOVED_FIELD = Rule(
    code="GOV807",
    symbol="removed-field",
    section=8,
    title="A public field of a Phase 11 class was removed",
    message="field {name} of {owner} was removed; restore it (a property that returns the new value "
            "works) so Phase 11 code that reads it keeps working",
    scope="project",
    docs="""
    ## What it does
    Reports public fields of Phase 11 classes that the working tree no longer has: class
    attributes, dataclass and pydantic fields, enum members, properties and instance
    attributes assigned in `__init__` (`self.name = ...`).

    ## Why is this bad?
    The checklist says "Registry additions are additive; no removed fields". Code that reads
    `entry.success_count` or serialises a model with that field breaks when it disappears.

    ## Example
    ```python
    # Phase 11
    class PluginEntry:
        def __init__(self, name: str) -> None:
            self.name = name
            self.last_used = None

    # Phase 12: last_used dropped
    ```

    ## Use instead
    ```python
    class PluginEntry:
        def __init__(self, name: str) -> None:
            self.name = name
            self.last_used = None
            self.avg_execution_time_ms = 0.0  # additions are fine
    ```
    """,
)

RENAMED_FIELD = Rule(
    code="GOV808",
    symbol="renamed-field",
    section=8,
    title="A public field of a Phase 11 class was renamed",
    message="field {name} of {owner} was probably renamed to {new_name}; keep the old name too "
            "(a property returning the new field) so Phase 11 code that reads it keeps working",
    scope="project",
    docs="""
    ## What it does
    Reports a removed public field when the class gained exactly one new field of the same
    kind (class attribute, instance attribute, property): probably a rename. It is a
    heuristic, so the message says "probably".

    ## Why is this bad?
    The checklist forbids renamed fields: for a Phase 11 reader a rename is a removal.

    ## Example
    ```python
    # Phase 11
    self.errors = 0
    # Phase 12
    self.error_count = 0
    ```

    ## Use instead
    ```python
    self.error_count = 0

    @property
    def errors(self) -> int:  # Phase 11 name
        return self.error_count
    ```
    """,
)

CHANGED_EXCEPTION = Rule(
    code="GOV809",
    symbol="changed-exception",
    section=8,
    title="A Phase 11 exception contract changed where it is statically visible",
    message="{name} {change}; {fix}",
    scope="project",
    docs="""
    ## What it does
    Reports two statically visible exception changes: a public exception class that no
    longer derives from one of its Phase 11 bases (builtin exception hierarchies are taken
    into account, so `ValueError` -> `UnicodeError` is fine), and a public function whose body
    raised an exception class in Phase 11 and now raises others, none of which derives from
    it. A function that no longer raises anything visible in its body is not reported:
    delegation to a helper cannot be followed. Removed exception classes are GOV801.

    ## Why is this bad?
    Phase 11 callers catch those exceptions. When `execute_plugin` raised `PluginNotFoundError`
    and now raises `KeyError`, every `except PluginNotFoundError` handler silently stops
    catching, and the error escapes where it used to be handled.

    ## Example
    ```python
    # Phase 11
    class PluginNotFoundError(KeyError): ...
    # Phase 12
    class PluginNotFoundError(Exception): ...
    ```

    ## Use instead
    ```python
    class PluginNotFoundError(KeyError): ...  # add new bases beside the old ones if needed
    ```
    """,
)

RULES = (
    REMOVED_PUBLIC_API,
    RENAMED_PUBLIC_API,
    CHANGED_SIGNATURE,
    CHANGED_RETURN_SHAPE,
    CHANGED_API_ROUTE,
    CHANGED_PLUGIN_INTERFACE,
    REMOVED_FIELD,
    RENAMED_FIELD,
    CHANGED_EXCEPTION,
)
