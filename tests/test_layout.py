"""The layout's rules: the domain stands alone, storage knows no Telegram, no asserts in code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _where(path: Path, node: ast.stmt) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def _imports(path: Path) -> Iterator[tuple[ast.stmt, str]]:
    """Every module an `import` or absolute `from ... import` names, with its statement."""
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node, node.module


def _is_within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _forbidden_imports(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{_where(path, node)} imports {module}"
        for path in _modules(folder)
        for node, module in _imports(path)
        if any(_is_within(module, package) for package in forbidden)
    ]


def test_the_domain_imports_nothing_of_ours_but_itself() -> None:
    forbidden = ("storage", "handlers", "telegram", "bot.runtime", "bot.config", "bot.emulator")
    offenders = _forbidden_imports("bot/domain", forbidden)
    assert not offenders, "\n".join(offenders)


def test_the_domain_imports_only_bot_domain_from_bot() -> None:
    offenders = [
        f"{_where(path, node)} imports {module}"
        for path in _modules("bot/domain")
        for node, module in _imports(path)
        if _is_within(module, "bot") and not _is_within(module, "bot.domain")
    ]
    assert not offenders, "\n".join(offenders)


def test_storage_knows_no_telegram_nor_handlers() -> None:
    forbidden = ("handlers", "telegram", "bot.runtime", "bot.emulator")
    offenders = _forbidden_imports("storage", forbidden)
    assert not offenders, "\n".join(offenders)


def test_no_assert_in_production_code() -> None:
    offenders = [
        f"{_where(path, node)} asserts; raise an explicit error instead"
        for path in _modules("bot/domain", "bot/runtime", "storage", "handlers")
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Assert)
    ]
    assert not offenders, "\n".join(offenders)


def test_no_module_is_over_500_lines() -> None:
    long = [
        f"{path}: {lines} lines"
        for path in _modules("bot", "handlers", "storage")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert not long, "split by what each part does: " + ", ".join(long)


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The walkers find what they look for, so an empty result means something."""
    sample = tmp_path / "sample.py"
    sample.write_text("import telegram.ext\nfrom storage.members import x\nassert x\n")
    modules = [module for _, module in _imports(sample)]
    assert modules == ["telegram.ext", "storage.members"]
    assert any(isinstance(node, ast.Assert) for node in ast.walk(_tree(sample)))
