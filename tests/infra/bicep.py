"""Reads a Bicep file as text, as far as the tests need: its resources (symbolic name, type, body), its
parameters (with their decorators), variables' blocks, and a property's value in a body. No Bicep compiler
can be installed from the registries (the CLI downloads its binary from GitHub), so this is what checks
infra/ offline; what it does not check (types, API versions, expressions) is said in infra/README.md."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

_RESOURCE = re.compile(r"^resource (\w+) '([^'@]+)@([^']+)' = (\[for [^\n]*?: )?\{", re.M)
_PARAM = re.compile(r"^param (\w+) (\w+)( = [^\n]+)?$", re.M)
_DECORATOR = re.compile(r"^@\w+\(.*\)$")
_CLOSING = {"{": "}", "[": "]", "(": ")"}


@dataclass(frozen=True)
class Resource:
    name: str  # the symbolic name
    type: str  # e.g. Microsoft.Storage/storageAccounts
    body: str  # from its opening brace to the matching closing one
    loop: bool  # declared with [for …]

    def value(self, prop: str) -> str:
        """The expression after `prop:` (its first occurrence in the body), up to the line's end, or the comma
        or closing bracket that ends it within an inline object."""
        found = re.search(rf"\b{re.escape(prop)}:[ \t]*", self.body)
        assert found, f"{self.name} ({self.type}) sets no {prop}"
        return expression(self.body, found.end())


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    decorators: tuple[str, ...]


class Bicep:
    def __init__(self, text: str) -> None:
        self.text = text
        self.resources = [Resource(m.group(1), m.group(2), block(text, m.end() - 1), bool(m.group(4)))
                          for m in _RESOURCE.finditer(text)]
        self.params = {p.name: p for p in self._params()}

    def of_type(self, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> Resource:
        found = self.of_type(type_)
        assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
        return found[0]

    def named(self, name: str) -> Resource:
        found = [r for r in self.resources if r.name == name]
        assert found, f"no resource named {name}"
        return found[0]

    def variable(self, name: str) -> str:
        """A variable's definition: the rest of its line, or up to the bracket that closes one the line opens
        (`{…}`, `[…]`, `concat(…)`)."""
        found = re.search(rf"^var {re.escape(name)} = ", self.text, re.M)
        assert found, f"no variable {name}"
        rest = self.text[found.end():]
        line = rest.split("\n", 1)[0]
        opened = next((i for i, c in enumerate(line) if c in _CLOSING), None)
        if opened is None:
            return line
        end = opened + len(block(rest, opened))
        return rest[:end]

    def string_table(self, name: str) -> dict[str, str]:
        """A variable holding `key: 'value'` lines (an object of strings)."""
        return dict(re.findall(r"^\s*(\w+): '([^']*)'", self.variable(name), re.M))

    def _params(self) -> list[Param]:
        lines = self.text.splitlines()
        params = []
        for i, line in enumerate(lines):
            m = _PARAM.match(line)
            if not m:
                continue
            decorators, j = [], i - 1
            while j >= 0 and _DECORATOR.match(lines[j]):
                decorators.append(lines[j])
                j -= 1
            default = m.group(3)[3:].strip() if m.group(3) else None
            params.append(Param(m.group(1), m.group(2), default, tuple(decorators)))
        return params


def _code(text: str, start: int) -> Iterator[tuple[int, str]]:
    """(index, character) of `text` from `start`, outside strings ('…', with \\' escapes); a // comment
    comes as one "//" at its start, then the newline that ends it."""
    i, in_string = start, False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == "'":
                in_string = False
        elif c == "'":
            in_string = True
        elif text.startswith("//", i):
            yield i, "//"
            i = text.find("\n", i)
            if i < 0:
                return
            continue
        else:
            yield i, c
        i += 1


def expression(text: str, start: int) -> str:
    """From `start` to a newline, a ',', a comment or an unmatched closing bracket outside strings and brackets."""
    depth, end = 0, len(text)
    for i, c in _code(text, start):
        if c in _CLOSING:
            depth += 1
        elif c in _CLOSING.values():
            if depth == 0:
                end = i
                break
            depth -= 1
        elif depth == 0 and c in (",", "\n", "//"):
            end = i
            break
    return text[start:end].strip()


def block(text: str, start: int) -> str:
    """From the bracket at `start` to its match, skipping strings and // comments."""
    opening = text[start]
    closing = _CLOSING[opening]
    depth = 0
    for i, c in _code(text, start):
        if c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
    raise ValueError(f"unbalanced {opening} at {start}")
