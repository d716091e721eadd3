"""Renders typed clients, the clientsets, listers and informers from the generator model.

The generated classes only wire names, kind, scope and verbs to the runtime's generic classes
(`kubetyped.typed`, `kubetyped.cache`); see docs/GENERATED.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2

from kubetyped.codegen.errors import NamingConflictError
from kubetyped.codegen.ir import GVK, ApiSpec, GroupVersion, Resource, Schema
from kubetyped.codegen.naming import pascal, snake_case
from kubetyped.codegen.pyformat import Brackets, fit, import_block, str_set, str_tuple, subscript
from kubetyped.codegen.render_context import RenderContext
from kubetyped.codegen.render_models import apply_name
from kubetyped.codegen.writer import COMMENT_MARKER

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


_PER_GROUP_VERSION = ("clients", "listers", "informers")
_INFORMER_BASES = (
    "AsyncInformerFactoryBase",
    "AsyncTypedInformer",
    "GroupInformers",
    "InformerFactoryBase",
    "TypedInformer",
)
_WHOLE_PACKAGE = (
    "clientset.py",
    "clients/__init__.py",
    "listers/__init__.py",
    "informers/__init__.py",
    "informers/factory.py",
    "fake.py",
)


@dataclass(frozen=True)
class ModelName:
    module: str
    class_name: str

    @property
    def annotation(self) -> str:
        return f"{self.module}.{self.class_name}"


@dataclass(frozen=True)
class ResourceView:
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
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kubetyped.codegen", "templates"),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    # line layout as `ruff format` does it (see pyformat)
    env.globals.update(
        B=lambda open_, items, close: Brackets(open_, tuple(items), close),
        fit=fit,
        import_block=import_block,
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
                constant=resource.plural.upper().replace("-", "_"),
                accessor=accessor_name(resource.plural, resource.kind),
                model=model,
                list_model=list_model or model,
                mixins=tuple(mixins),
                subresource_models=tuple(sub_models),
                description=_first_sentence(schema.description if schema else ""),
            )
        )
    return views


def accessor_name(plural: str, kind: str) -> str:
    """The plural in snake_case, split where the kind's words split.

    `configmaps`/`ConfigMap` -> `config_maps`, `networkpolicies`/`NetworkPolicy` ->
    `network_policies`; a plural unrelated to its kind is kept as it is.
    """
    words = snake_case(kind)
    out: list[str] = []
    index = 0
    for char in words:
        if char == "_":
            out.append("_")
            continue
        if index < len(plural) and plural[index] == char:
            out.append(char)
            index += 1
        else:
            break
    if index == 0:
        return plural.replace("-", "_").replace(".", "_")
    return ("".join(out) + plural[index:]).strip("_").replace("-", "_")


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


def group_versions(spec: ApiSpec) -> list[GroupVersion]:
    return sorted(
        (gv for group in spec.groups for gv in group.versions),
        key=lambda gv: gv.python_name,
    )


def model_imports(modules: set[str], ctx: RenderContext) -> list[str]:
    """`from <package>.models import <gv>` lines (isort order, indented for `TYPE_CHECKING`)."""
    by_parent: dict[str, list[str]] = {}
    for module in modules:
        parent, _, name = ctx.models_module(module).rpartition(".")
        by_parent.setdefault(parent, []).append(name)
    return import_block(by_parent, 4)


def _model_reference(ctx: RenderContext, name: ModelName) -> str:
    return f"{ctx.models_module(name.module)}:{name.class_name}"


def render_clients(spec: ApiSpec, ctx: RenderContext) -> dict[str, str]:
    """`clients/<gv>.py`, `clientset.py`, `listers/<gv>.py`, `informers/<gv>.py`, factory."""
    env = _environment()
    package = ctx.package
    files: dict[str, str] = {}
    rendered: list[tuple[GroupVersion, list[ResourceView]]] = []
    for gv in group_versions(spec):
        views = resource_views(spec, gv)
        if not views:
            continue
        rendered.append((gv, views))
        modules = (
            {view.model.module for view in views}
            | {view.list_model.module for view in views}
            | {m.module for view in views for _, m in view.subresource_models}
        )
        context = {
            "header": HEADER,
            "package": package,
            "gv": gv,
            "views": views,
            "model_imports": model_imports(modules, ctx),
            "erased_modules": sorted(modules),
            "resource_model_imports": model_imports({view.model.module for view in views}, ctx),
            "erased_resource_modules": sorted({view.model.module for view in views}),
            "reference": lambda name: _model_reference(ctx, name),
            "subresource_models": lambda view: _subresource_models(ctx, view),
            "group_class": pascal(gv.python_name),
            "informer_imports": {
                f"{package}.clients.{gv.python_name}": [v.constant for v in views],
                f"{package}.listers.{gv.python_name}": [f"{v.type_name}Lister" for v in views],
                "kubetyped.typed.erased": ["ERASED"],
                "kubetyped.typed.informers": _INFORMER_BASES,
            },
        }
        for kind in _PER_GROUP_VERSION:
            files[f"{kind}/{gv.python_name}.py"] = env.get_template(f"{kind}_gv.py.jinja").render(
                context
            )
    context_all = {
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
    for name in _WHOLE_PACKAGE:
        template = name.replace("/", "_").replace(".py", ".py.jinja")
        files[name] = env.get_template(template).render(context_all)
    files["__init__.py"] = env.get_template("package___init__.py.jinja").render(context_all)
    # PEP 561: installed, the package's types are read by mypy and pyright (not "partial").
    files["py.typed"] = f"{HEADER}\n"
    return files
