"""What the rest of the project says of the names an API module imports (`analysis.routes`'s
`Elsewhere`): whether an imported alias, class or provider stands for the analysis service
(`FacadeDep = Annotated[Facade, Depends(get_facade)]` in `api/deps.py`), and whether an
imported function is a failure helper (`raise_for_failure(error)` in `api/errors.py`), read in
the module that defines it. What cannot be read stays unknown."""

from __future__ import annotations

from functools import cached_property

from flake8_phase12.analysis.context import FileContext
from flake8_phase12.analysis.references import module_facts
from flake8_phase12.analysis.endpoint import UNKNOWN, FailureHelper
from flake8_phase12.analysis.routes import ApiModule
from flake8_phase12.model.context import facts as file_facts
from flake8_phase12.model.context import model as project_model
from flake8_phase12.model.facts import Module
from flake8_phase12.model.project import ProjectModel, Ref
from flake8_phase12.model.trees import module_tree


class ProjectApi:
    """`analysis.routes.Elsewhere` for one API module, answered by the project model."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self._modules: dict[str, ApiModule | None] = {}

    @cached_property
    def model(self) -> ProjectModel:
        return project_model(self.ctx)

    @cached_property
    def facts(self) -> Module:
        return file_facts(self.ctx)

    @cached_property
    def service_names(self) -> frozenset[str]:
        config = self.ctx.config
        return frozenset((*config.api.service_names, config.services.analysis.class_name)) - {""}

    def stands_for_service(self, name: str) -> bool | None:
        ref = self.model.resolve(self.facts, name)
        if ref is None:
            return None
        if ref.kind == "class":
            return self._is_service(ref)
        if ref.kind == "assignment":
            owner = self.model.module(ref.module)
            classes = self.model.annotation_classes(owner, ref.qualname) if owner is not None else []
            return any(self._is_service(cls) for cls in classes) if classes else None
        if ref.kind == "function":
            function = self.model.function(ref)
            owner = self.model.module(ref.module)
            if function is None or owner is None or not function.returns:
                return None
            returned = self.model.annotation_classes(owner, function.returns)
            return any(self._is_service(cls) for cls in returned)
        return False

    def _is_service(self, cls: Ref) -> bool:
        return cls.name in self.service_names or bool(self.model.derives_from(cls, tuple(self.service_names)))

    def failure_helper(self, name: str) -> FailureHelper | str | None:
        ref = self.model.resolve(self.facts, name)
        if ref is None:
            return UNKNOWN
        if ref.kind != "function" or "." in ref.qualname:
            return None
        module = self._api_module(ref.module)
        if module is None:
            return UNKNOWN
        return module.helpers.get(ref.qualname)

    def _api_module(self, name: str) -> ApiModule | None:
        """The module that defines an imported helper, read as an API module of its own."""
        if name not in self._modules:
            self._modules[name] = None
            found = module_tree(name, self.model.roots)
            if found is not None:
                path, tree = found
                ctx = FileContext(tree=tree, path=str(path), config=self.ctx.config)
                facts = module_facts(ctx)
                self._modules[name] = ApiModule(tree, ctx.config, facts.functions, facts.attributes,
                                                facts.parents, ctx.imported_names)
        return self._modules[name]
