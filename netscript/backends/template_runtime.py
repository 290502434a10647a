"""What the compiled templates call at run time, in place of ``jinja2.runtime``.

jinja2 compiles each template to Python that calls its runtime: an
environment (attribute lookup, filters, tests, other templates), a context
(variables, blocks), macros, loops and namespaces. Importing jinja2 costs a
process about 25 ms, more than the rest of `netscript render` of a small
spec; the code it generates needs only the few behaviours below, written
as jinja2 3.1 has them for a template rendered with ``autoescape=False`` and
``StrictUndefined``. :mod:`.templates` renders with these when the compiled
code is current, and tests hold the output to jinja2's, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


class _Missing:
    def __repr__(self) -> str:
        return "missing"


missing: Any = _Missing()


class TemplateRuntimeError(Exception):
    """A template asked for something that is not there (a filter, a test, a namespace)."""


class UndefinedError(TemplateRuntimeError):
    pass


TemplateNotFound = TemplateRuntimeError


class Undefined:
    """What an ``if`` expression with no ``else`` gives when false: nothing, as in jinja2."""

    def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None, exc: Any = None):
        self._what = hint or (f"{obj!r} has no attribute {name!r}" if obj is not missing else f"{name!r} is undefined")

    def __str__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Iterator[Any]:
        return iter(())


class StrictUndefined(Undefined):
    """A name or attribute the template uses and nobody gave: using it is an error, as with
    jinja2's StrictUndefined (only ``is none`` and ``is defined`` may look at it)."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise UndefinedError(self._what)

    __str__ = __bool__ = __iter__ = __len__ = __eq__ = __ne__ = __hash__ = __call__ = _fail  # type: ignore[assignment]
    __getattr__ = __getitem__ = __add__ = __contains__ = _fail  # type: ignore[assignment]


def identity(x: Any) -> Any:
    return x


def internalcode(f: Callable) -> Callable:
    return f


def str_join(seq: Iterable[Any]) -> str:
    return "".join(map(str, seq))


# autoescape is off: nothing is ever marked safe or escaped
Markup = str
escape = str
markup_join = str_join


class Namespace:
    """``namespace(...)``: attributes a loop can set (``{% set ns.x = 1 %}``)."""

    def __init__(self, *args: Any, **kwargs: Any):
        object.__setattr__(self, "_attrs", dict(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._attrs[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, name: str, value: Any) -> None:
        self._attrs[name] = value


class _Loop:
    """``loop`` inside a ``{% for %}``."""

    def __init__(self, index0: int, length: int):
        self.index0, self.index, self.length = index0, index0 + 1, length
        self.first, self.last = index0 == 0, index0 == length - 1
        self.revindex0, self.revindex = length - index0 - 1, length - index0


def LoopContext(iterable: Iterable[Any], undefined: Any, recurse: Any = None, depth0: int = 0) -> Iterator[tuple]:
    items = list(iterable)
    for index0, item in enumerate(items):
        yield item, _Loop(index0, len(items))


class Macro:
    """A ``{% macro %}``: called with its parameters by position or by name, the rest default."""

    def __init__(self, environment: Any, func: Callable, name: str, arguments: tuple[str, ...], *flags: Any):
        self._func, self._name, self._arguments = func, name, arguments

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if len(args) > len(self._arguments) or set(kwargs) - set(self._arguments[len(args):]):
            raise TypeError(f"macro {self._name!r} takes {', '.join(self._arguments)}")
        rest = [kwargs.get(name, missing) for name in self._arguments[len(args):]]
        return self._func(*args, *rest)


class TemplateReference:
    """``self`` in a template: not used by ours."""

    def __init__(self, context: Context):
        raise TemplateRuntimeError("`self` is not available in compiled templates")


class _EvalContext:
    autoescape = False


class Context:
    """The variables and blocks of one rendering."""

    def __init__(self, environment: Environment, template: Template, parent: dict[str, Any]):
        self.environment = environment
        self.name = template.name
        self.parent = parent  # the globals and what render() was given
        self.globals_keys = set(environment.globals)
        self.vars: dict[str, Any] = {}  # what the template sets at its top level
        self.exported_vars: set[str] = set()
        self.blocks = {name: [block] for name, block in template.blocks.items()}
        self.eval_ctx = _EvalContext()

    def resolve_or_missing(self, key: str) -> Any:
        if key in self.vars:
            return self.vars[key]
        return self.parent.get(key, missing)

    def call(self, obj: Callable, *args: Any, **kwargs: Any) -> Any:
        # our filters and macros never take the context: the loop's and block's variables are not needed
        kwargs.pop("_loop_vars", None)
        kwargs.pop("_block_vars", None)
        return obj(*args, **kwargs)

    def get_exported(self) -> dict[str, Any]:
        return {name: self.vars[name] for name in self.exported_vars}


class _Module:
    """An ``{% import %}``ed template: its macros as attributes."""

    def __init__(self, template: Template, context: Context):
        self._body = list(template.root_render_func(context))
        self.__dict__.update(context.get_exported())


class Template:
    def __init__(self, environment: Environment, name: str, root: Callable, blocks: dict[str, Callable]):
        self.environment, self.name = environment, name
        self.root_render_func, self.blocks = root, blocks
        self._module: _Module | None = None

    def new_context(self, variables: Mapping[str, Any]) -> Context:
        return Context(self.environment, self, {**self.environment.globals, **variables})

    def render(self, **variables: Any) -> str:
        return "".join(self.root_render_func(self.new_context(variables)))

    def _get_default_module(self, context: Context | None = None) -> _Module:
        # an import without context sees the globals only, so one module serves every importer
        if self._module is None:
            self._module = _Module(self, self.new_context({}))
        return self._module


# The compiled form of one template: its module-level code run with the environment gives its
# root render function and blocks.
Compiled = Callable[..., tuple[Callable, dict[str, Callable]]]


class Environment:
    """The templates, compiled, with the filters and tests they use."""

    def __init__(self, compiled: Mapping[str, Compiled], filters: Mapping[str, Callable]):
        self._compiled = compiled
        self._templates: dict[str, Template] = {}
        self.filters = {"length": len, **filters}
        self.tests = {"none": lambda value: value is None, "defined": lambda value: not isinstance(value, Undefined)}
        self.globals = {"namespace": Namespace}
        self.undefined = StrictUndefined
        self.concat = "".join

    def get_template(self, name: str, parent: str | None = None) -> Template:
        if name not in self._templates:
            root, blocks = self._compiled[name](self)
            self._templates[name] = Template(self, name, root, blocks)
        return self._templates[name]

    def getattr(self, obj: Any, attribute: str) -> Any:
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self.undefined(obj=obj, name=argument)
