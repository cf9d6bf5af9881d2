"""Reading a pack file: YAML -> plain data -> typed ``Pack``, with every error naming its file and line.

A bad file never raises anything but ``PackInvalid``, whose ``errors`` read like
a compiler's::

    wuhai-2023.yaml:57: review_chains.project_review.steps[1].actor.level: 未知的级别 'town'(可选:...)

How lines are found: the YAML is composed into a node tree (each node knows its
``start_mark``), converted to plain data by our own walk (which also refuses
duplicate keys, anchors/aliases and runaway nesting, and reports a bad scalar at
its own line), validated by pydantic, and each error's location (``loc``) is
followed back down the node tree to the deepest node that exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from educio.policies.schema import Pack
from educio.policies.schema.references import reference_problems

MAX_PACK_BYTES = 1024 * 1024
MAX_DEPTH = 40

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class PackError:
    line: int
    path: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PackInvalid(ValueError):
    """The file is not a valid pack; ``errors`` lists every problem found, in line order."""

    def __init__(self, errors: Sequence[PackError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class ParsedPack:
    pack: Pack
    source: str
    sha256: str


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- reading the text --------------------------------------------------------------------------


class _Fail(Exception):
    def __init__(self, line: int, message: str, path: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.path = path


def decode(raw: bytes | str) -> str:
    """UTF-8 text (a BOM is dropped); undecodable bytes are reported at their line."""
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > MAX_PACK_BYTES:
            raise _Fail(1, f"文件过大({len(raw)} 字节),不能超过 {MAX_PACK_BYTES // 1024} KB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise _Fail(line, "文件不是 UTF-8 编码的文本") from exc
    if len(text.encode("utf-8")) > MAX_PACK_BYTES:
        raise _Fail(1, f"文件过大,不能超过 {MAX_PACK_BYTES // 1024} KB")
    return text.removeprefix("\ufeff")


def compose(text: str) -> Node:
    """The YAML node tree of a single-document file, or a ``_Fail`` at the line of the syntax error."""
    loader = None
    try:
        loader = yaml.SafeLoader(text)  # the reader already refuses control characters here
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise _Fail(line, yaml_problem(exc)) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1
        raise _Fail(line, f"文件含有不允许的字符 {exc.character!r}") from exc
    except yaml.YAMLError as exc:
        raise _Fail(1, f"YAML 错误:{exc}") from exc
    except RecursionError as exc:
        raise _Fail(1, f"嵌套层次过深(最多 {MAX_DEPTH} 层)") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise _Fail(1, "文件为空")
    return node


YAML_HINTS = (
    ("mapping values are not allowed", "此处不能出现“键: 值”:请检查缩进,或给含英文冒号的文本加引号"),
    ("found character '\\t'", "不能用制表符(Tab)缩进,请改用空格"),
    ("could not find expected ':'", "缺少英文冒号“:”,或上一行的引号未闭合"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected key", "缩进不一致,或列表项缺少“- ”"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("found unexpected end of stream", "文件意外结束(引号或括号未闭合)"),
    ("found undefined alias", "引用了未定义的别名(*)"),
    ("expected a single document", "文件只能包含一个 YAML 文档(不要使用 ---)"),
    ("found unknown escape character", "双引号文本中有无效的转义字符"),
    ("did not find expected ',' or ']'", "方括号列表未闭合,或缺少逗号"),
    ("did not find expected ',' or '}'", "花括号映射未闭合,或缺少逗号"),
)


def yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """A Chinese explanation of a PyYAML syntax error, with PyYAML's own words kept for searching."""
    original = "; ".join(str(p) for p in (exc.context, exc.problem) if p)
    hint = next((text for needle, text in YAML_HINTS if needle in original), "")
    return f"YAML 语法错误:{hint}({original})" if hint else f"YAML 语法错误:{original}"


class _Converter:
    """Plain Python data from the node tree, refusing what a pack never needs and YAML makes dangerous."""

    def __init__(self) -> None:
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()

    def convert(self, node: Node, depth: int = 0) -> Any:
        line = node.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise _Fail(line, f"嵌套层次过深(最多 {MAX_DEPTH} 层)")
        if id(node) in self.seen:
            raise _Fail(line, "不支持 YAML 锚点与别名(& / *),请直接写出内容")
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar_key(key_node)
                if key in result:
                    raise _Fail(key_node.start_mark.line + 1, f"键 '{key}' 在同一层重复出现")
                result[key] = self.convert(value_node, depth + 1)
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        return self.scalar(node)

    def scalar_key(self, node: Node) -> Any:
        line = node.start_mark.line + 1
        if not isinstance(node, ScalarNode):
            raise _Fail(line, "键必须是简单文本")
        if node.tag == "tag:yaml.org,2002:merge":
            raise _Fail(line, "不支持 YAML 合并键(<<)")
        self.seen.add(id(node))
        value = self.scalar(node)
        if isinstance(value, bool) or value is None:
            # YAML 1.1 reads "no"/"on"/"~" as booleans/null; as a key that is always a mistake.
            raise _Fail(line, f"键 '{node.value}' 会被 YAML 当作 {value!r},请加引号")
        return value

    def scalar(self, node: Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception as exc:  # PyYAML raises ValueError etc. for a bad date or number
            raise _Fail(node.start_mark.line + 1, f"无法解析的值 '{node.value}':{exc}") from exc


# --- mapping validation errors back to lines ---------------------------------------------------


def locate(root: Node, loc: Loc) -> tuple[int, bool]:
    """The line of the deepest node along ``loc``; ``True`` when the whole path exists."""
    node = root
    for index, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(node, MappingNode):
            match = next(
                ((k, v) for k, v in node.value if isinstance(k, ScalarNode) and str(k.value) == str(part)), None
            )
            if match is None:
                return node.start_mark.line + 1, False
            key_node, value_node = match
            if index + 1 < len(loc) and loc[index + 1] == "[key]":
                return key_node.start_mark.line + 1, True
            node = value_node
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return node.start_mark.line + 1, False
    return node.start_mark.line + 1, True


def key_line(root: Node, loc: Loc) -> int:
    """The line of the key named by the last element of ``loc`` (for "unknown field" errors)."""
    line, _found = locate(root, (*loc, "[key]"))
    return line


def format_loc(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


FIELD_LABELS = {
    "level": "级别",
    "min_level": "级别",
    "role": "角色",
    "kind": "类别",
    "type": "类型",
    "severity": "严重程度",
    "period": "周期",
    "cadence": "周期",
    "subject": "考核对象",
    "subject_kinds": "单位类别",
    "unit_kinds": "单位类别",
    "applies_to": "单位类别",
    "value_type": "取值类型",
    "organiser": "组织层级",
    "recipient": "接收层级",
    "reviewer": "审核层级",
    "stage": "阶段",
    "opinion": "意见要求",
    "rank": "管理职级",
    "on_recheck_fail": "后果",
    "organiser_levels": "级别",
    "levels": "级别",
    "bureau_levels": "行政级别",
    "performers": "单位类别",
    "reporters": "单位类别",
    "submitters": "单位类别",
}


def _label_for(loc: Loc) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part != "[key]":
            return FIELD_LABELS.get(part, "取值")
    return "取值"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def message_for(error: Any) -> str:
    """A Chinese message for one pydantic error (``error`` is an ``ErrorDetails`` dict)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    loc = tuple(error["loc"])
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"未知的{_label_for(loc)} {_short(value)}(可选:{expected})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"^[a-z][a-z0-9_]*$":
            return f"标识 {_short(value)} 只能由小写字母、数字和下划线组成,且以字母开头"
        return f"{_short(value)} 格式不正确"
    fixed = {
        "missing": "缺少必填项",
        "extra_forbidden": "不认识的字段(请检查拼写)",
        "string_type": "应为文本",
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "float_type": "应为数字",
        "float_parsing": "应为数字",
        "bool_type": "应为 true 或 false",
        "bool_parsing": "应为 true 或 false",
        "date_type": "应为日期,如 2024-12-31",
        "date_parsing": "应为日期,如 2024-12-31",
        "date_from_datetime_inexact": "应为日期(不带时间),如 2024-12-31",
        "date_from_datetime_parsing": "应为日期,如 2024-12-31",
        "list_type": "应为列表",
        "tuple_type": "应为列表",
        "dict_type": "应为键值映射",
        "model_type": "应为键值映射",
        "model_attributes_type": "应为键值映射",
        "none_required": "此处不应有值",
        "finite_number": "应为有限的数字",
    }
    if kind in fixed:
        return fixed[kind] + ("" if kind in ("missing", "extra_forbidden") else f",实际为 {_short(value)}")
    bounds = {
        "string_too_short": "不能为空" if ctx.get("min_length") == 1 else f"至少 {ctx.get('min_length')} 个字符",
        "string_too_long": f"不能超过 {ctx.get('max_length')} 个字符",
        "too_short": f"至少需要 {ctx.get('min_length')} 项",
        "too_long": f"最多 {ctx.get('max_length')} 项",
        "greater_than_equal": f"应不小于 {ctx.get('ge')},实际为 {_short(value)}",
        "greater_than": f"应大于 {ctx.get('gt')},实际为 {_short(value)}",
        "less_than_equal": f"应不大于 {ctx.get('le')},实际为 {_short(value)}",
        "less_than": f"应小于 {ctx.get('lt')},实际为 {_short(value)}",
    }
    if kind in bounds:
        return bounds[kind]
    return str(error.get("msg", kind))


def _validation_errors(root: Node, exc: ValidationError) -> list[_Fail]:
    fails: list[_Fail] = []
    errors = exc.errors(include_url=False)
    deeper = [tuple(e["loc"]) for e in errors]
    for error in errors:
        loc: Loc = tuple(error["loc"])
        if error["type"] == "too_short" and any(len(d) > len(loc) and d[: len(loc)] == loc for d in deeper):
            continue  # a list whose only item is invalid is also "too short": the item's error says it all
        line = key_line(root, loc) if error["type"] == "extra_forbidden" else locate(root, loc)[0]
        fails.append(_Fail(line, message_for(error), format_loc(loc)))
    return fails


# --- entry points ------------------------------------------------------------------------------


def parse_pack(raw: bytes | str, *, filename: str = "<pack>") -> ParsedPack:
    """The typed pack of a file's content, or ``PackInvalid`` listing every error with its line."""
    try:
        text = decode(raw)
        root = compose(text)
        data = _Converter().convert(root)
    except _Fail as fail:
        raise PackInvalid([PackError(fail.line, fail.path, fail.message, filename)]) from None
    if not isinstance(data, dict):
        raise PackInvalid([PackError(1, "", "文件顶层必须是键值映射(id: ... title: ... 等)", filename)])
    try:
        pack = Pack.model_validate(data)
    except ValidationError as exc:
        fails = _validation_errors(root, exc)
        raise PackInvalid(sorted(PackError(f.line, f.path, f.message, filename) for f in fails)) from None
    problems = reference_problems(pack)
    if problems:
        errors = [PackError(locate(root, loc)[0], format_loc(loc), message, filename) for loc, message in problems]
        raise PackInvalid(sorted(errors))
    return ParsedPack(pack=pack, source=text, sha256=sha256_of(text))


def check_pack_source(raw: bytes | str, *, filename: str = "<pack>") -> tuple[ParsedPack | None, list[PackError]]:
    """Like ``parse_pack`` but returns the errors; an unexpected failure is reported, never raised."""
    try:
        return parse_pack(raw, filename=filename), []
    except PackInvalid as exc:
        return None, exc.errors
    except RecursionError:
        return None, [PackError(1, "", f"嵌套层次过深(最多 {MAX_DEPTH} 层)", filename)]


def parse_pack_file(path: Path | str) -> ParsedPack:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackInvalid([PackError(0, "", f"无法读取文件:{exc.strerror or exc}", path.name)]) from exc
    return parse_pack(raw, filename=path.name)
