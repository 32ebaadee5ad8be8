"""The build manifest (reports.yml): validated on load, parameters checked against each notebook.

A typo in the manifest or on the command line is an error before any kernel starts: unknown
keys are refused by pydantic, and every parameter must be one the notebook declares (as
papermill's ``inspect_notebook`` reads them) with a value of the declared type.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from analysis import config, registry
from analysis import parameters as notebook_parameters
from analysis.errors import ConfigError

Language = Literal["nl", "en"]


class ReportSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    notebook: Path | None = None  # a registered question's own notebook when left out
    parameters: dict[str, Any] = {}
    languages: list[Language] | None = None


class Combined(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[str] = []
    context: list[str] = []


#: The manifest's fields that name who stands behind the documents, with what each expects.
CREDITED = {
    "publisher": "a name (an organisation or an author)",
    "contact": "a contact point (a name, a service and/or an e-mail address)",
    "responsible_publisher": "the responsible publisher (verantwoordelijke uitgever: name, function, address)",
}


@dataclass(frozen=True)
class Credits:
    """Who stands behind a document, in its language, as its colophon and its file information name them.

    ``publisher``: who prepared it (the catalogue's neutral default when the manifest names no one); ``contact``:
    a contact point for readers; ``responsible_publisher``: the verantwoordelijke uitgever. Each of the last two is
    None when the manifest gives none; without a responsible publisher the document is a working version.
    """

    publisher: str
    contact: str | None = None
    responsible_publisher: str | None = None


def _text_for(value: str | Mapping[Any, str] | None, lang: str) -> str | None:
    """One text for every language, or the text for ``lang``; None when there is none."""
    if isinstance(value, Mapping):
        value = value.get(lang)
    return value.strip() if value else None


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    languages: list[Language] = ["nl", "en"]
    #: Who prepares the dossier, named once on its colophon and in the PDF and workbook information: one
    #: name for every language, or one per language ({nl: ..., en: ...}). Left out: a neutral default.
    publisher: str | dict[Language, str] | None = None
    #: A contact point for readers (a name, a service and/or an e-mail address), on the colophon and in the PDF and
    #: workbook information: one text, or one per language. Left out: no contact is named.
    contact: str | dict[Language, str] | None = None
    #: The responsible publisher (verantwoordelijke uitgever: name, function, address), on the colophon and in the PDF
    #: and workbook information: one text, or one per language. Left out: the colophon says the dossier is a working
    #: version, not published.
    responsible_publisher: str | dict[Language, str] | None = None
    reports: list[ReportSpec] = Field(default_factory=lambda: [ReportSpec(name=q.id) for q in registry.QUESTIONS])
    combined: Combined = Combined()  # left out: the reports' registered parts, in registry order

    @field_validator(*CREDITED)
    @classmethod
    def _credit_given(cls, value, info: ValidationInfo):
        texts = value.values() if isinstance(value, dict) else [] if value is None else [value]
        if any(not text.strip() for text in texts):
            raise ValueError(f"{info.field_name}: expected {CREDITED[str(info.field_name)]}, not empty text")
        return value

    @model_validator(mode="after")
    def _credit_in_every_language(self):
        """A contact or responsible publisher given per language is given for each language of the dossier: one
        language's cover would otherwise name a responsible publisher and the other's call itself a working version."""
        for name in ("contact", "responsible_publisher"):
            value = getattr(self, name)
            missing = [lang for lang in self.languages if isinstance(value, dict) and lang not in value]
            if missing:
                raise ValueError(
                    f"{name}: no text for {', '.join(missing)}; give one text, or one for each language of the dossier "
                    f"({', '.join(self.languages)})"
                )
        return self

    def publisher_for(self, lang: str) -> str:
        """The publisher in ``lang``: the manifest's (for that language), else the catalogue's neutral default."""
        from analysis.report.i18n import Lang

        return _text_for(self.publisher, lang) or Lang(lang).t("doc.publisher_default")

    def credits_for(self, lang: str) -> Credits:
        """Who stands behind the documents in ``lang``: the publisher (or the default), the contact and the responsible
        publisher (None when the manifest names none)."""
        return Credits(self.publisher_for(lang), _text_for(self.contact, lang), _text_for(self.responsible_publisher, lang))

    @field_validator("reports")
    @classmethod
    def _unique_names(cls, reports):
        names = [r.name for r in reports]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"report names must be unique; repeated: {', '.join(dupes)}")
        return reports

    @model_validator(mode="after")
    def _registry_defaults(self):
        """Reports and combined order left out come from analysis.registry, so a new question needs no entry here."""
        for spec in self.reports:
            if spec.notebook is None:
                if spec.name not in registry.BY_ID:
                    raise ValueError(f"report {spec.name!r} names no notebook and is not a registered question")
                spec.notebook = registry.BY_ID[spec.name].notebook
        if "combined" not in self.model_fields_set:
            present = [q for q in registry.QUESTIONS if q.id in {r.name for r in self.reports}]
            self.combined = Combined(
                answers=[q.id for q in present if q.part == "answer"], context=[q.id for q in present if q.part == "context"]
            )
        return self

    @model_validator(mode="after")
    def _combined_known(self):
        names = {r.name for r in self.reports}
        unknown = [n for n in self.combined.answers + self.combined.context if n not in names]
        if unknown:
            raise ValueError(f"combined lists reports that are not defined: {', '.join(unknown)}")
        return self


@dataclass(frozen=True)
class Job:
    """One report to build: a notebook, a language and its final parameters."""

    name: str
    lang: str
    notebook: Path
    parameters: dict[str, Any]
    output_name: str  # file stem under reports/<lang>/

    @property
    def label(self) -> str:
        return f"{self.lang}/{self.output_name}"


def load(path: Path = config.MANIFEST_PATH) -> Manifest:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: manifest not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: byte {exc.start}: not UTF-8 text; expected a YAML file saved as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the manifest: {exc.strerror or exc}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{path}: value {notebook_parameters.short_repr(raw)}: expected a mapping with the keys {', '.join(Manifest.model_fields)} (see reports.yml)"
        )
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            value = notebook_parameters.short_repr(err.get("input"))
            hint = ""
            if err["type"] == "extra_forbidden":
                allowed = _allowed_keys(err["loc"])
                close = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
                hint = f" (allowed: {', '.join(allowed)}" + (f"; did you mean '{close[0]}'?)" if close else ")")
            lines.append(f"{path}: {where or 'the whole file'}: value {value}: {err['msg']}{hint}")
        raise ConfigError("\n".join(lines)) from None
    for spec in manifest.reports:
        nb = resolve_notebook(spec.notebook)
        if not nb.is_file():
            raise ConfigError(f"{path}: reports.{spec.name}.notebook: {spec.notebook} does not exist")
        if nb.suffix != ".ipynb":
            raise ConfigError(f"{path}: reports.{spec.name}.notebook: {spec.notebook}: expected a notebook (.ipynb)")
        try:
            declared_parameters(nb)
        except ConfigError as exc:
            raise ConfigError(f"{path}: reports.{spec.name}.notebook: {exc}") from None
    return manifest


def _allowed_keys(loc) -> list[str]:
    if len(loc) >= 3 and loc[0] == "reports":
        return list(ReportSpec.model_fields)
    if loc and loc[0] == "combined":
        return list(Combined.model_fields)
    return list(Manifest.model_fields)


def resolve_notebook(path: Path | None) -> Path:
    assert path is not None, "the manifest fills in a registered question's notebook when it validates"
    return path if path.is_absolute() else config.PROJECT_DIR / path


_declared_cache: dict[tuple[str, float], dict] = {}
#: papermill's readings of parameters cells, kept by the notebook's bytes and papermill's version: importing
#: papermill to read them was half the time of a build that found nothing to do.
DECLARED_CACHE = config.PROJECT_DIR / ".build" / "parameters"
DECLARED_ENTRIES = 256


def declared_parameters(notebook: Path) -> dict[str, dict]:
    """The parameters a notebook declares, by papermill's reading of its parameters cell."""
    key = (str(notebook), notebook.stat().st_mtime)
    if key not in _declared_cache:
        _declared_cache[key] = _read_declared(notebook)
    return _declared_cache[key]


def _read_declared(notebook: Path) -> dict[str, dict]:
    import hashlib
    import json
    from importlib.metadata import version

    try:
        digest = hashlib.sha256(f"papermill {version('papermill')}\0".encode() + notebook.read_bytes()).hexdigest()
        kept: Path | None = DECLARED_CACHE / f"{digest}.json"
    except OSError:
        kept = None  # papermill names the problem below
    if kept is not None:
        try:
            return json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    import papermill

    try:
        declared = papermill.inspect_notebook(str(notebook))
    except Exception as exc:  # papermill raises whatever nbformat or json raise on a damaged file
        raise ConfigError(f"{notebook}: cannot read its parameters cell: {exc.__class__.__name__}: {exc}") from None
    if kept is not None:
        from analysis.pipeline import files

        try:
            files.atomic_write(kept, json.dumps(declared, sort_keys=True))
            entries = sorted(DECLARED_CACHE.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[DECLARED_ENTRIES:]:  # the readings of notebooks as they were long ago
                old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return declared


_TYPES = {"int": (int,), "str": (str,), "list": (list,), "float": (float, int), "bool": (bool,), "dict": (dict,)}


def check_parameters(notebook: Path, parameters: dict[str, Any], where: str) -> dict[str, Any]:
    """The parameters, checked against the notebook's declaration and the shared definition, normalised.

    Names the project defines (analysis.parameters) get their full rules, so a value that would
    fail inside the notebook fails here, before a kernel starts; other names a notebook declares
    are checked for the type its parameters cell annotates.
    """
    declared = declared_parameters(notebook)
    problems = []
    known = {}
    for name, value in parameters.items():
        if name not in declared and not declared:
            problems.append(
                f"{where}: {notebook.name} has no parameters cell, so it cannot take '{name}': add a code cell "
                f"tagged 'parameters' (in JupyterLab: Property Inspector, Add Tag) that declares it, such as "
                f'lang: str = "nl"  # report language'
            )
            continue
        if name not in declared:
            close = difflib.get_close_matches(str(name), list(declared), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(f"{where}: unknown parameter '{name}' for {notebook.name} (it declares: {', '.join(declared)}){hint}")
            continue
        if name in notebook_parameters.ALL:
            known[name] = value
            continue
        type_name = declared[name].get("inferred_type_name", "None")
        expected = _TYPES.get(type_name)
        if expected and (not isinstance(value, expected) or (type_name != "bool" and isinstance(value, bool))):
            problems.append(
                f"{where}: parameter '{name}': value {notebook_parameters.short_repr(value)}: expected {type_name} "
                f"({declared[name].get('help') or 'see the notebook'})"
            )
    try:
        checked = notebook_parameters.check(known, where)
    except ConfigError as exc:
        problems.append(str(exc))
        checked = known
    if problems:
        raise ConfigError("\n".join(problems))
    return {**parameters, **checked}


def parse_cli_parameters(items: list[str]) -> dict[str, Any]:
    """``-p year=2022 -p months=[1]``: values are read as YAML, so numbers and lists get their type."""
    out = {}
    for item in items:
        if "=" not in item:
            raise ConfigError(f"-p {item}: expected name=value, such as -p year=2022")
        name, text = item.split("=", 1)
        try:
            out[name.strip()] = yaml.safe_load(text)
        except yaml.YAMLError:
            out[name.strip()] = text
    return out


def _slug(value: Any) -> str:
    """A file-name-safe form of a parameter value; long ones (a data_dir path) end in a short hash."""
    text = re.sub(r"[^A-Za-z0-9]+", "-", str(value)).strip("-") or "x"
    if len(text) > 40:
        import hashlib

        text = text[:30].strip("-") + "-" + hashlib.sha256(str(value).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return text


def jobs(
    manifest: Manifest, only: list[str] | None = None, langs: list[str] | None = None, overrides: dict[str, Any] | None = None
) -> list[Job]:
    names = {r.name for r in manifest.reports}
    for name in only or []:
        if name not in names:
            close = difflib.get_close_matches(name, sorted(names), n=1)
            raise ConfigError(
                f"--only {name}: no such report (known: {', '.join(sorted(names))})"
                + (f"; did you mean '{close[0]}'?" if close else "")
            )
    overrides = overrides or {}
    if "lang" in overrides:
        raise ConfigError("-p lang=...: choose languages with --lang instead")
    out = []
    for spec in manifest.reports:
        if only and spec.name not in only:
            continue
        notebook = resolve_notebook(spec.notebook)
        for lang in spec.languages or manifest.languages:
            if langs and lang not in langs:
                continue
            where = f"report {spec.name}"
            # Every parameter of a registered question is injected (its defaults first), so what a
            # notebook's parameters cell happens to hold never decides an official report.
            question = next((q for q in registry.QUESTIONS if q.notebook.resolve() == notebook.resolve()), None)
            defaults = {p.name: p.default for p in question.parameters if p.name != "lang"} if question else {}
            params = check_parameters(notebook, {**defaults, **spec.parameters, **overrides}, where)
            params.update(check_parameters(notebook, {"lang": lang}, where))
            suffix = "".join(f"--{_slug(k)}-{_slug(params[k])}" for k in sorted(overrides))
            out.append(Job(spec.name, lang, notebook, params, spec.name + suffix))
    if not out:
        raise ConfigError("nothing to build: --only/--lang select no report of the manifest")
    return out
