"""Per-call templates compiled to plain Python functions, derived from what Jinja parses.

When a template is compiled for a theme and locale (its tokens filled in, its CSS inlined),
:func:`compile_template` walks the syntax tree Jinja's own parser gives and writes one
Python function for it: text as constants, each ``{{ value }}`` through one call that does
the finalizer's text check and the escape together, ``{% if %}`` and ``{% for %}`` as
Python's. It understands names, attributes, constants, ``~``, ``==``/``!=``, ``not``,
tests and filters without context, and ``loop.first``/``loop.last``; for any other node
it returns ``None`` and the template renders with Jinja. :class:`FastTemplate` runs the
function, and Jinja whenever it raises (a missing attribute, say), so the output, or the
error, is always Jinja's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, Template, nodes
from jinja2.runtime import markup_join
from jinja2.utils import _PassArg
from markupsafe import escape

from .breaks import breakable, breakable_within, fits, line_length, with_breaks
from .htmltext import html_text

#: A compiled template: its context in, the rendered text out.
RenderFunction = Callable[[Mapping[str, Any]], str]


class Unsupported(Exception):
    """A node the compiler does not translate: the template stays with Jinja."""


class FastTemplate(Template):
    """A Jinja template that renders through its compiled function when it has one."""

    fast: RenderFunction | None = None

    def render(self, *args: Any, **kwargs: Any) -> str:
        if self.fast is not None:
            try:
                return self.fast(dict(*args, **kwargs))
            except Exception:  # Jinja renders instead: its output, or its error
                pass
        return super().render(*args, **kwargs)


def text(value: Any) -> str:
    """``{{ value }}`` as Jinja writes it here: ``html_text`` (the finalizer), then escaped,
    in one call; a printable string with nothing to escape (most) is returned as it is."""
    if type(value) is str and value.isprintable():  # nothing for html_text to replace
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return escape(value)
        return value
    return escape(html_text(value))


def breakable_text(value: Any, longest: int, fits: Callable[[str], object]) -> str:
    """``{{ value|breakable(size, column) }}`` in one call, its line length worked out when
    the template was compiled (``fits``: :func:`.breaks.fits` of it): the break check,
    then :func:`text`."""
    if type(value) is not str:
        return text(breakable_within(value, longest))
    if len(value) > longest and not fits(value):
        value = with_breaks(value, longest)
    return text(value)


def compile_template(env: Environment, source: str) -> RenderFunction | None:
    """A function rendering ``source`` exactly as ``env`` does, or ``None`` if it cannot."""
    try:
        writer = _Writer(env)
        body = writer.statements(env.parse(source).body)
    except Unsupported:
        return None
    free = "".join(f"    {local} = context[{name!r}]\n" for name, local in writer.free.items())
    code = (
        "def render(context):\n"
        f"{free}"
        "    parts = []\n"
        "    write = parts.append\n"
        f"{body}"
        "    return ''.join(parts)\n"
    )
    namespace: dict[str, Any] = dict(writer.globals)
    exec(compile(code, "<compiled template>", "exec"), namespace)  # our own code, from the tree
    function: RenderFunction = namespace["render"]
    return function


class _Writer:
    """Python source for Jinja nodes; raises :class:`Unsupported` for any it does not know."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.globals: dict[str, Any] = {
            "text": text,
            "breakable_text": breakable_text,
            "markup_join": markup_join,
            "join": "".join,
        }
        self.constants: dict[str, str] = {}  # strings, and the globals holding them
        self.constant_names: set[str] = set()
        self.free: dict[str, str] = {}  # context names read, and their locals
        self.scopes: list[dict[str, str]] = []  # loop variables, innermost last
        self.loops: list[tuple[str, str]] = []  # (index, length) locals of each loop
        self.count = 0

    def statements(self, body: list[nodes.Node], depth: int = 1) -> str:
        """``body`` as Python statements: each run of output, and of ``if`` blocks holding
        only output, is one ``write`` of one f-string."""
        pad = "    " * depth
        code, pieces = "", []
        for node in body:
            inline = self.inline(node, 0)
            if inline is not None:
                pieces += inline
                continue
            if pieces:
                code += f"{pad}write({self.joined(pieces, 0)})\n"
                pieces = []
            code += self.statement(node, depth)
        if pieces:
            code += f"{pad}write({self.joined(pieces, 0)})\n"
        return code or f"{pad}pass\n"

    def inline(self, node: nodes.Node, nesting: int) -> list[str] | None:
        """The expressions ``node`` writes, in order, when it is output or an ``if`` of
        output (a conditional expression); ``None`` for a loop or any other statement."""
        if isinstance(node, nodes.Output):
            return [self.output(child) for child in node.nodes]
        if not isinstance(node, nodes.If):
            return None
        branches = [(node.test, node.body), *((b.test, b.body) for b in node.elif_)]
        code = self.inline_body(node.else_, nesting + 1)
        for test, body in reversed(branches):
            chosen = self.inline_body(body, nesting + 1)
            if chosen is None or code is None:
                return None
            code = f"({chosen} if {self.expression(test)} else {code})"
        return None if code is None else [code]

    def inline_body(self, body: list[nodes.Node], nesting: int) -> str | None:
        """``body`` as one string expression, or ``None`` if it holds a statement."""
        pieces: list[str] = []
        for node in body:
            inline = self.inline(node, nesting)
            if inline is None:
                return None
            pieces += inline
        return self.joined(pieces, nesting)

    def joined(self, pieces: list[str], nesting: int) -> str:
        """One expression for ``pieces`` written one after another: an f-string of them,
        or, inside one (whose quotes it may not reuse), ``"".join`` of them."""
        pieces = self.merged(pieces)
        if not pieces:
            return self.constant("")
        if len(pieces) == 1:
            return pieces[0]
        if not nesting:
            return f"f'{''.join(f'{{{piece}}}' for piece in pieces)}'"
        return f"join(({', '.join(pieces)},))"

    def merged(self, pieces: list[str]) -> list[str]:
        """``pieces`` with each run of constants made one constant."""
        merged: list[str] = []
        for piece in pieces:
            if merged and piece in self.constant_names and merged[-1] in self.constant_names:
                merged[-1] = self.constant(self.globals[merged[-1]] + self.globals[piece])
            else:
                merged.append(piece)
        return merged

    def constant(self, value: str) -> str:
        """The name of a global holding ``value``, so no quote or backslash of its own
        ends up inside an f-string."""
        name = self.constants.setdefault(value, f"k_{len(self.constants)}")
        self.globals[name] = value
        self.constant_names.add(name)
        return name

    def statement(self, node: nodes.Node, depth: int) -> str:
        pad = "    " * depth
        if isinstance(node, nodes.If):
            code = f"{pad}if {self.expression(node.test)}:\n" + self.statements(
                node.body, depth + 1
            )
            for branch in node.elif_:
                code += f"{pad}elif {self.expression(branch.test)}:\n"
                code += self.statements(branch.body, depth + 1)
            if node.else_:
                code += f"{pad}else:\n" + self.statements(node.else_, depth + 1)
            return code
        if isinstance(node, nodes.For):
            return self.loop(node, depth)
        raise Unsupported(type(node).__name__)

    def loop(self, node: nodes.For, depth: int) -> str:
        if node.else_ or node.test is not None or node.recursive:
            raise Unsupported("for with else, if or recursive")
        if not isinstance(node.target, nodes.Name):
            raise Unsupported("for with several targets")
        self.count += 1
        items, index, length = (f"{kind}_{self.count}" for kind in ("items", "index", "length"))
        variable = f"l_{node.target.name}_{self.count}"
        pad = "    " * depth
        code = (
            f"{pad}{items} = list({self.expression(node.iter)})\n"
            f"{pad}{length} = len({items})\n"
            f"{pad}for {index}, {variable} in enumerate({items}):\n"
        )
        self.scopes.append({node.target.name: variable})
        self.loops.append((index, length))
        code += self.statements(node.body, depth + 1)
        self.scopes.pop()
        self.loops.pop()
        return code

    def output(self, node: nodes.Expr) -> str:
        if isinstance(node, nodes.TemplateData):
            return self.constant(node.data)
        try:
            value = node.as_const(nodes.EvalContext(self.env))
        except nodes.Impossible:
            if (longest := self.breakable_line(node)) is not None:
                assert isinstance(node, nodes.Filter) and node.node is not None
                self.globals[f"fits_{longest}"] = fits(longest)
                value = self.expression(node.node)
                return f"breakable_text({value}, {longest}, fits_{longest})"
            return f"text({self.expression(node)})"
        return self.constant(str(html_text(escape(value))))  # folded as Jinja does it

    def breakable_line(self, node: nodes.Expr) -> int | None:
        """The line length of ``node`` when it is our ``breakable`` filter with constant
        arguments, so its output can be fused into one call; else ``None``."""
        if not (isinstance(node, nodes.Filter) and node.name == "breakable" and node.node):
            return None
        if self.env.filters.get("breakable") is not breakable or node.kwargs:
            return None
        constants = [arg.value for arg in node.args if isinstance(arg, nodes.Const)]
        if node.dyn_args or node.dyn_kwargs or len(constants) != len(node.args):
            return None
        try:
            return line_length(*constants)
        except (KeyError, TypeError, ValueError, ZeroDivisionError):  # Jinja will say why
            return None

    def expression(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Const):
            if isinstance(node.value, str):
                return self.constant(node.value)
            if node.value is None or isinstance(node.value, bool | int | float):
                return repr(node.value)
            raise Unsupported(f"constant {type(node.value).__name__}")
        if isinstance(node, nodes.Name) and node.ctx == "load":
            return self.name(node.name)
        if isinstance(node, nodes.Getattr) and node.ctx == "load":
            if isinstance(node.node, nodes.Name) and node.node.name == "loop" and self.loops:
                index, length = self.loops[-1]
                if node.attr == "first":
                    return f"({index} == 0)"
                if node.attr == "last":
                    return f"({index} == {length} - 1)"
                raise Unsupported(f"loop.{node.attr}")
            if not node.attr.isidentifier() or node.attr.startswith("_"):
                raise Unsupported(f"attribute {node.attr!r}")
            return f"{self.expression(node.node)}.{node.attr}"
        if isinstance(node, nodes.Not):
            return f"(not {self.expression(node.node)})"
        if isinstance(node, nodes.Compare) and len(node.ops) == 1 and node.ops[0].op in _COMPARE:
            left, right = self.expression(node.expr), self.expression(node.ops[0].expr)
            return f"({left} {_COMPARE[node.ops[0].op]} {right})"
        if isinstance(node, nodes.Concat):
            return f"markup_join(({', '.join(self.expression(n) for n in node.nodes)},))"
        if isinstance(node, nodes.Filter) and node.node is not None:
            return self.call("filter", self.env.filters, node, self.expression(node.node))
        if isinstance(node, nodes.Test):
            return self.call("test", self.env.tests, node, self.expression(node.node))
        raise Unsupported(type(node).__name__)

    def call(
        self, kind: str, functions: Mapping[str, Any], node: nodes.Filter | nodes.Test, value: str
    ) -> str:
        """A filter or test call; ``pass_eval_context`` gets an autoescaping context."""
        function = functions.get(node.name)
        if function is None or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise Unsupported(f"{kind} {node.name}")
        arguments = [value, *(self.expression(arg) for arg in node.args)]
        passes = _PassArg.from_obj(function)
        if passes is _PassArg.eval_context:
            self.globals["eval_context"] = nodes.EvalContext(self.env)
            arguments.insert(0, "eval_context")
        elif passes is not None:
            raise Unsupported(f"{kind} {node.name} takes the context")
        local = f"{kind}_{node.name}"
        self.globals[local] = function
        return f"{local}({', '.join(arguments)})"

    def name(self, name: str) -> str:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name == "loop" or not name.isidentifier():
            raise Unsupported(f"name {name!r}")
        return self.free.setdefault(name, f"v_{name}")


_COMPARE = {"eq": "==", "ne": "!="}
