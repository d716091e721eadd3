"""What the client-side renderers share: the Jinja environment and the resource views.

``resource_views`` decides, once per group-version, which resources get a typed client (a
model and at least one verb), which verb mixins they combine and the names of their classes;
the clients, listers, informers and fake renderers all render from these views (client-go's
client-gen, lister-gen and informer-gen read the same type list).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from kubetyped_codegen.errors import NamingConflictError
from kubetyped_codegen.ir import GVK, ApiSpec, GroupVersion, Resource, Schema
from kubetyped_codegen.naming import (
    accessor_name,
    apply_name,
    expansion_name,
    pascal,
    resource_constant,
)
from kubetyped_codegen.pyformat import (
    Brackets,
    fit,
    import_block,
    import_line,
    str_set,
    str_tuple,
    subscript,
)
from kubetyped_codegen.render_context import RenderContext
from kubetyped_codegen.writer import COMMENT_MARKER

#: The first line of every generated file.
HEADER = COMMENT_MARKER

# Resource verbs → sync/async mixin names of kubetyped.typed.{sync,async}_verbs.
_VERB_MIXINS = (
    ("get", "Get"),
    ("list", "List"),
    ("watch", "Watch"),
    ("create", "Create"),
    ("update", "Update"),
    ("patch", "Patch"),
    ("patch", "Apply"),
    ("delete", "Delete"),
    ("deletecollection", "DeleteCollection"),
)


# Subresources → (mixin, whether it is parametrised by the subresource's own model).
_SUBRESOURCE_MIXINS = {
    "status": ("Status", False),
    "scale": ("Scale", True),
    "eviction": ("Evict", True),
    "binding": ("Bind", True),
    "log": ("Log", False),
    "token": ("CreateToken", True),
    "approval": ("Approval", False),
    "ephemeralcontainers": ("EphemeralContainers", False),
    "resize": ("Resize", False),
    "exec": ("Exec", False),
    "attach": ("Attach", False),
    "portforward": ("PortForward", False),
}


_INFORMER_BASES = (
    "AsyncInformerFactoryBase",
    "AsyncTypedInformer",
    "GroupInformers",
    "InformerFactoryBase",
    "TypedInformer",
)


@dataclass(frozen=True)
class ModelName:
    """A model class by its group-version module (``apps_v1``) and class name."""

    module: str
    class_name: str

    @property
    def annotation(self) -> str:
        """``apps_v1.Deployment``: the model in annotations (modules imported by alias)."""
        return f"{self.module}.{self.class_name}"


@dataclass(frozen=True)
class ResourceView:
    """What the templates need of one resource of a group-version.

    ``class_name``: the sync client class (``DeploymentClient``); ``constant``: its
    ``ResourceInfo`` constant; ``accessor``: the group client's method (``deployments``);
    ``mixins``: the verb mixins with their type arguments; ``subresource_models``: the models
    of subresources that have their own (``scale`` -> ``autoscaling_v1.Scale``);
    ``description``: the first sentence of the model's description.
    """

    resource: Resource
    #: the kind as an identifier (the model's class name: ``My-Kind`` -> ``My_Kind``)
    type_name: str
    class_name: str
    constant: str
    accessor: str
    model: ModelName
    list_model: ModelName
    mixins: tuple[str, ...]
    subresource_models: tuple[tuple[str, ModelName], ...]
    description: str


@cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of every renderer (templates in ``kubetyped_codegen/templates``).

    Undefined variables raise (``StrictUndefined``); the globals lay lines out as
    ``ruff format`` does (see ``pyformat``) and ``marker`` is the generated-file header.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kubetyped_codegen", "templates"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.globals.update(
        B=lambda open_, items, close: Brackets(open_, tuple(items), close),
        fit=fit,
        import_block=import_block,
        marker=COMMENT_MARKER,
        signature=_signature,
        str_set=str_set,
        str_tuple=str_tuple,
        subscript=subscript,
    )
    return env


def _signature(name: str, params: list[str], returns: str) -> Brackets:
    return Brackets(f"def {name}(", tuple(params), f") -> {returns}:", parameters=True)


def _subresource_models(ctx: RenderContext, view: ResourceView) -> Brackets:
    items = tuple(
        f'("{name}", "{_model_reference(ctx, model)}")' for name, model in view.subresource_models
    )
    return Brackets("subresource_models=(", items, ")", display=True, one_tuple=len(items) == 1)


def _model_for(spec: ApiSpec, gvk: GVK) -> ModelName | None:
    schema: Schema | None = spec.schema_for_kind(gvk)
    if schema is None:
        return None
    return ModelName(schema.module, schema.class_name)


def resource_views(spec: ApiSpec, gv: GroupVersion) -> list[ResourceView]:
    """The resources of `gv` that have a model and at least one verb, sorted by plural."""
    views: list[ResourceView] = []
    for resource in sorted(gv.resources, key=lambda r: r.plural):
        model = _model_for(spec, GVK(gv.group, gv.version, resource.kind))
        list_model = _model_for(spec, GVK(gv.group, gv.version, resource.list_kind or ""))
        if model is None or not resource.verbs:
            continue
        mixins = [
            f"{mixin}[{_quote(model)}, {_quote(list_model)}]"
            if mixin == "List" and list_model
            else f"{mixin}[{_quote(model)}, {_quote(_applied(model))}]"
            if mixin == "Apply"
            else f"{mixin}[{_quote(model)}]"
            for verb, mixin in _VERB_MIXINS
            if verb in resource.verbs and (mixin != "List" or list_model)
        ]
        sub_models: list[tuple[str, ModelName]] = []
        for sub in sorted(resource.subresources, key=lambda s: s.name):
            known = _SUBRESOURCE_MIXINS.get(sub.name)
            if known is None:
                continue
            mixin, takes_model = known
            if mixin == "Status":  # apply_status takes the resource's apply configuration
                mixins.append(f"{mixin}[{_quote(model)}, {_quote(_applied(model))}]")
                continue
            if not takes_model:
                mixins.append(f"{mixin}[{_quote(model)}]")
                continue
            kind = sub.response_kind or sub.request_kind
            sub_model = _model_for(spec, kind) if kind else None
            if sub_model is None:
                continue
            sub_models.append((sub.name, sub_model))
            arguments = [model, sub_model] + ([_applied(sub_model)] if mixin == "Scale" else [])
            mixins.append(f"{mixin}[{', '.join(_quote(a) for a in arguments)}]")
        schema = spec.schema_for_kind(GVK(gv.group, gv.version, resource.kind))
        clash = next((v for v in views if v.resource.kind == resource.kind), None)
        if clash is not None:
            raise NamingConflictError(
                gv.api_version, f"{model.class_name}Client", clash.resource.plural, resource.plural
            )
        views.append(
            ResourceView(
                resource=resource,
                type_name=model.class_name,
                class_name=f"{model.class_name}Client",
                constant=resource_constant(resource.plural),
                accessor=accessor_name(resource.plural, resource.kind),
                model=model,
                list_model=list_model or model,
                mixins=tuple(mixins),
                subresource_models=tuple(sub_models),
                description=_first_sentence(schema.description if schema else ""),
            )
        )
    return views


def _applied(name: ModelName) -> ModelName:
    """The apply configuration (a TypedDict next to the model) that `apply` verbs accept."""
    return ModelName(name.module, apply_name(name.class_name))


def _quote(name: ModelName | None) -> str:
    """A model as a type argument; erased to Any at run time (see kubetyped.typed.erased)."""
    assert name is not None
    return name.annotation


def _first_sentence(text: str) -> str:
    sentence = " ".join(text.split(". ")[0].split()).rstrip(".")
    sentence = sentence.replace("\\", "\\\\").replace('"""', "'''")
    return (sentence[:150] + "…") if len(sentence) > 150 else sentence


def model_imports(modules: set[str], ctx: RenderContext) -> list[str]:
    """`from <package>.models import <gv>` lines (isort order, indented for `TYPE_CHECKING`)."""
    by_parent: dict[str, list[str]] = {}
    for module in modules:
        parent, _, name = ctx.models_module(module).rpartition(".")
        by_parent.setdefault(parent, []).append(name)
    return import_block(by_parent, 4, package=ctx.package)


def _model_reference(ctx: RenderContext, name: ModelName) -> str:
    return f"{ctx.models_module(name.module)}:{name.class_name}"


def rendered_group_versions(spec: ApiSpec) -> list[tuple[GroupVersion, list[ResourceView]]]:
    """The group-versions that get typed clients (at least one view), in module order."""
    found = []
    for gv in spec.group_versions():
        views = resource_views(spec, gv)
        if views:
            found.append((gv, views))
    return found


def _expansions(ctx: RenderContext, gv: GroupVersion, classes: list[str]) -> dict[str, str]:
    """``{generated class: user mixin}`` for the classes whose mixin ``expansions/<gv>.py``
    defines (see ``pipeline.find_expansions``)."""
    defined = ctx.expansions.get(gv.python_name, frozenset())
    return {c: expansion_name(c) for c in classes if expansion_name(c) in defined}


def _expansion_import(gv: GroupVersion, expansions: dict[str, str]) -> list[str]:
    """The relative import of the user mixins (isort's local-folder section, last)."""
    if not expansions:
        return []
    return ["", *import_line(f"..expansions.{gv.python_name}", expansions.values())]


def group_version_context(
    ctx: RenderContext, gv: GroupVersion, views: list[ResourceView]
) -> dict[str, Any]:
    """The template variables of the per-group-version files (clients, listers, informers)."""
    package = ctx.package
    modules = (
        {view.model.module for view in views}
        | {view.list_model.module for view in views}
        | {m.module for view in views for _, m in view.subresource_models}
    )
    clients = [f"{prefix}{view.class_name}" for view in views for prefix in ("", "Async")]
    client_expansions = _expansions(ctx, gv, clients)
    lister_expansions = _expansions(ctx, gv, [f"{view.type_name}Lister" for view in views])
    reference: Callable[[ModelName], str] = lambda name: _model_reference(ctx, name)  # noqa: E731
    return {
        "header": HEADER,
        "package": package,
        "gv": gv,
        "views": views,
        "model_imports": model_imports(modules, ctx),
        "erased_modules": sorted(modules),
        "resource_model_imports": model_imports({view.model.module for view in views}, ctx),
        "erased_resource_modules": sorted({view.model.module for view in views}),
        "reference": reference,
        "subresource_models": lambda view: _subresource_models(ctx, view),
        "group_class": pascal(gv.python_name),
        "client_expansions": client_expansions,
        "client_expansion_import": _expansion_import(gv, client_expansions),
        "lister_expansions": lister_expansions,
        "lister_expansion_import": _expansion_import(gv, lister_expansions),
        "informer_imports": {
            f"{package}.clients.{gv.python_name}": [v.constant for v in views],
            f"{package}.listers.{gv.python_name}": [f"{v.type_name}Lister" for v in views],
            "kubetyped.typed.erased": ["ERASED"],
            "kubetyped.typed.informers": _INFORMER_BASES,
        },
    }


def package_context(spec: ApiSpec, ctx: RenderContext) -> dict[str, Any]:
    """The template variables of the whole-package files (clientset, factory, fake, package)."""
    package = ctx.package
    rendered = rendered_group_versions(spec)
    return {
        "header": HEADER,
        "package": package,
        "version": spec.version_info.git_version or spec.version_info.major_minor,
        "groups": [(gv, pascal(gv.python_name), views) for gv, views in rendered],
        "group_imports": lambda kind, suffix: {
            f"{package}.{kind}.{gv.python_name}": [
                f"{pascal(gv.python_name)}{suffix}",
                f"Async{pascal(gv.python_name)}{suffix}",
            ]
            for gv, _ in rendered
        },
    }


def render_templates(
    spec: ApiSpec, ctx: RenderContext, per_group_version: str | None, whole: tuple[str, ...]
) -> dict[str, str]:
    """``{path: text}`` of ``<per_group_version>/<gv>.py`` for each group-version with typed
    clients (template ``<per_group_version>_gv.py.jinja``) and of each ``whole`` package file
    (``informers/factory.py`` -> template ``informers_factory.py.jinja``)."""
    env = environment()
    files: dict[str, str] = {}
    if per_group_version is not None:
        template = env.get_template(f"{per_group_version}_gv.py.jinja")
        for gv, views in rendered_group_versions(spec):
            context = group_version_context(ctx, gv, views)
            files[f"{per_group_version}/{gv.python_name}.py"] = template.render(context)
    if whole:
        context_all = package_context(spec, ctx)
        for name in whole:
            template_name = name.replace("/", "_").replace(".py", ".py.jinja")
            files[name] = env.get_template(template_name).render(context_all)
    return files
