"""Generated parts of the project, and a new question in one command.

Four things are written from a single definition rather than by hand: each notebook's intro
cell (from the catalogue), its parameters cell (from :mod:`analysis.registry`), its kernel
metadata as JupyterLab writes it (so opening a notebook leaves it unchanged) and the data
contract in data/README.md (from the schemas). ``python -m analysis generate`` rewrites them;
``--check`` only reports what is stale, which is what the tests and the pre-commit hook run.

``python -m analysis new-question q8 slug`` adds a question: its registry entry, a notebook, a
module with the compute → short answer → details → key figures shape every notebook calls, and
its catalogue text. The result builds and passes the tests at once; the developer then replaces
the starting computation (a count of one data file's rows) with the question's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis import config, registry
from analysis.errors import ConfigError

INTRO_TAG = "notebook-intro"
PARAMETERS_TAG = "parameters"
REGISTRY_PATH = config.PACKAGE_DIR / "registry.py"
QUESTIONS_DIR = config.PACKAGE_DIR / "questions"
REGISTRY_MARK = "    # New questions are added above this line"
ID_PATTERN = re.compile(r"q[1-9][0-9]*")
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


# ---------------------------------------------------------------------------- generated cells
def _notebook_cells(question: registry.Question) -> tuple[str, str]:
    from analysis.report import intro

    return intro.markdown(question.id, question.stem), question.cell_source()


def refresh_notebook(question: registry.Question, write: bool = True) -> bool:
    """Bring the intro and parameters cells of a question's notebook up to date; True if they were stale."""
    import nbformat

    nb = nbformat.read(question.notebook, as_version=4)
    intro_text, parameters_text = _notebook_cells(question)
    changed = False
    first = nb.cells[0] if nb.cells else None
    if first is not None and INTRO_TAG in first.metadata.get("tags", []):
        if first.source != intro_text:
            first.source, changed = intro_text, True
    else:
        cell = nbformat.v4.new_markdown_cell(intro_text, id=f"{question.id}-intro")
        cell.metadata["tags"] = [INTRO_TAG, "report-hide"]
        nb.cells.insert(0, cell)
        changed = True
    cell = next((c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])), None)
    if cell is None:
        raise ConfigError(f"{question.notebook}: no cell tagged 'parameters' (papermill needs one; add it after the intro)")
    if cell.source != parameters_text:
        cell.source, changed = parameters_text, True
    for key, value in notebook_metadata().items():
        if nb.metadata.get(key) != value:
            nb.metadata[key], changed = value, True
    if changed and write:
        nbformat.write(nb, question.notebook)
    return changed


def generate(check: bool = False) -> list[str]:
    """Rewrite (or with ``check`` only list) every generated part that is stale."""
    from analysis.data import contract, package

    stale = [q.notebook.name for q in registry.QUESTIONS if refresh_notebook(q, write=not check)]
    if contract.current_section() != contract.render():
        stale.append(str(contract.readme_path().relative_to(config.PROJECT_DIR)))
        if not check:
            contract.write()
    if package.current() != package.render():
        stale.append(str(package.path().relative_to(config.PROJECT_DIR)))
        if not check:
            package.write()
    return stale


# ---------------------------------------------------------------------------- a new question
@dataclass(frozen=True)
class NewQuestion:
    id: str
    slug: str
    dataset: str = "online_enrolments"
    single_period: bool = False
    part: str = "answer"
    title_nl: str = ""
    title_en: str = ""

    @property
    def number(self) -> str:
        return self.id[1:]

    @property
    def stem(self) -> str:
        return f"{self.id}_{self.slug}"

    def words(self) -> str:
        return self.slug.replace("_", " ")


def _check_new(new: NewQuestion) -> None:
    from analysis.data.schemas import DATASETS

    if not ID_PATTERN.fullmatch(new.id):
        raise ConfigError(f"question id {new.id!r}: expected q followed by a number, such as q8")
    if not SLUG_PATTERN.fullmatch(new.slug):
        raise ConfigError(f"slug {new.slug!r}: expected lower-case letters, digits and _, starting with a letter")
    if new.id in registry.BY_ID:
        raise ConfigError(f"question {new.id!r} exists already ({registry.BY_ID[new.id].notebook.name})")
    if new.dataset not in DATASETS or new.dataset == "sources":
        raise ConfigError(f"dataset {new.dataset!r}: expected one of {', '.join(n for n in DATASETS if n != 'sources')}")
    if new.part not in ("answer", "context"):
        raise ConfigError(f"part {new.part!r}: expected answer or context")


def new_question(new: NewQuestion) -> list[Path]:
    """Write the four pieces of a new question; returns the files written, in order."""
    _check_new(new)
    targets = [
        config.NOTEBOOKS_DIR / f"{new.stem}.ipynb",
        QUESTIONS_DIR / f"{new.stem}.py",
    ]
    for path in targets:
        if path.exists():
            raise ConfigError(f"{path}: exists already; choose another slug or remove it")
    _add_registry_entry(new)
    _add_messages(new)
    targets[1].write_text(MODULE_TEMPLATE.format(id=new.id, stem=new.stem, dataset=new.dataset, words=new.words()), "utf-8")
    _write_notebook(new, targets[0])
    refresh_check_outputs(targets[0])  # runs it once: the key figures nbval compares, and proof that it runs
    return [REGISTRY_PATH, config.MESSAGES_PATH, *targets]


CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def refresh_check_outputs(path: Path) -> None:
    """Store the outputs of the ``# NBVAL_CHECK_OUTPUT`` cells, and nothing else, in a notebook.

    Notebooks are kept without outputs except these few cells, whose printed key figures
    ``pytest --nbval-lax`` compares on every test run. Run after a deliberate change of a key figure.
    """
    import nbformat
    import papermill

    executed = papermill.execute_notebook(str(path), None, kernel_name="python3", cwd=str(path.parent), progress_bar=False)
    expected = {c.source: c.outputs for c in executed.cells if c.cell_type == "code" and c.source.startswith(CHECK_MARK)}
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        check = cell.source.startswith(CHECK_MARK)
        # nbval skips a cell whose outputs have no execution count ("unrun"), so check cells keep one.
        cell.execution_count = 1 if check else None
        cell.outputs = expected.get(cell.source, []) if check else []
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = 1
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, path)


def _add_registry_entry(new: NewQuestion) -> None:
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    if REGISTRY_MARK not in text:
        raise ConfigError(f"{REGISTRY_PATH}: the line '{REGISTRY_MARK.strip()}' is missing; add the entry by hand")
    options = "".join(
        [
            ", single_period=True" if new.single_period else "",
            ', part="context"' if new.part == "context" else "",
        ]
    )
    entry = f'    Question("{new.id}", "{new.slug}", ("{new.dataset}",){options}),\n'
    REGISTRY_PATH.write_text(text.replace(REGISTRY_MARK, entry + REGISTRY_MARK, 1), encoding="utf-8")


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _add_messages(new: NewQuestion) -> None:
    n, words = new.number, new.words()
    title_nl = new.title_nl or f"Vraag {n} – {words}"
    title_en = new.title_en or f"Question {n} – {words}"
    entries = {
        "title": (title_nl, title_en),
        "question": (f"Welke cijfers geven de gegevens over {words}?", f"What do the data show on {words}?"),
        "shows": (
            f"het aantal rijen in {new.dataset} als eerste aanzet; te vervangen door de eigen berekening van de vraag.",
            f"the number of rows in {new.dataset} as a first step; to be replaced by the question's own computation.",
        ),
        "short.rows": (
            f"De gegevens voor deze vraag tellen {{rows}} rijen in {new.dataset}.",
            f"The data for this question hold {{rows}} rows in {new.dataset}.",
        ),
        "short.none": (
            f"Voor {{period}} bevatten de gegevens geen rijen in {new.dataset}.",
            f"For {{period}} the data hold no rows in {new.dataset}.",
        ),
        "caveat.1": (
            "Eerste aanzet: deze vraag telt alleen rijen; de eigen berekening volgt.",
            "First step: this question only counts rows; its own computation follows.",
        ),
    }
    lines = [f"# {new.id}: written by python -m analysis new-question; replace the text as the question takes shape\n"]
    lines += [f"{new.id}.{key}: {{nl: {_yaml_text(nl)}, en: {_yaml_text(en)}}}\n" for key, (nl, en) in entries.items()]
    text = config.MESSAGES_PATH.read_text(encoding="utf-8")
    config.MESSAGES_PATH.write_text(text + ("" if text.endswith("\n") else "\n") + "".join(lines), encoding="utf-8")
    from analysis.report import i18n

    i18n.catalogue.cache_clear()


def _write_notebook(new: NewQuestion, path: Path) -> None:
    import nbformat

    from analysis.report import intro

    question = registry.Question(new.id, new.slug, (new.dataset,), single_period=new.single_period)
    alias = new.id
    code = [
        (
            f"from analysis.questions import {new.stem} as {alias}\n"
            "from analysis.report.frame import Report, key_figures\n\n"
            f'rep = Report.open("{new.id}", year=year, compare_year=compare_year, months=months, lang=lang, data_dir=data_dir)\n'
            "rep.title()",
            [],
        ),
        (f"answer = {alias}.compute(rep)\n{alias}.short_answer(rep, answer)", []),
        (f"# NBVAL_CHECK_OUTPUT\nkey_figures({alias}.key_figures(answer))", ["report-hide"]),
        (f"{alias}.details(rep, answer)", []),
        (f"{alias}.caveats(rep)", []),
        ("rep.sources_section()", []),
    ]
    nb = nbformat.v4.new_notebook()
    nb.metadata = notebook_metadata()
    first = nbformat.v4.new_markdown_cell(intro.markdown(new.id, new.stem), id=f"{new.id}-intro")
    first.metadata["tags"] = [INTRO_TAG, "report-hide"]
    params = nbformat.v4.new_code_cell(question.cell_source(), id=f"{new.id}-parameters")
    params.metadata["tags"] = [PARAMETERS_TAG]
    cells = [first, params]
    for i, (source, tags) in enumerate(code, start=1):
        cell = nbformat.v4.new_code_cell(source, id=f"{new.id}-cell-{i}")
        if tags:
            cell.metadata["tags"] = tags
        cells.append(cell)
    nb.cells = cells
    nbformat.write(nb, path)


#: The name `make setup` gives the project's kernel (ipykernel install --display-name).
KERNEL_DISPLAY_NAME = "Python 3 (digitale opleidingen)"


def notebook_metadata() -> dict:
    """What JupyterLab writes into a notebook it opens with the project's kernel, so opening one changes nothing.

    JupyterLab rewrites the kernelspec's display name and the kernel's full language_info (with
    the Python version) on open, and autosave would then store them: a changed notebook, and a
    rebuild, for merely looking. Storing exactly that keeps an opened notebook unchanged.
    """
    import platform

    return {
        "kernelspec": {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": "python3"},
        "language_info": {
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": platform.python_version(),
        },
    }


MODULE_TEMPLATE = '''"""Question {id}: {words}.

Written by ``python -m analysis new-question`` as a working start: it counts the rows of one
data file so that the notebook builds, in both languages, from the first minute. Replace
:func:`compute` with the question's own figures and keep the shape the notebook calls
(compute → short_answer → details → caveats → key_figures); every number a sentence shows must be in
:func:`figures`, or the narrative check fails the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.report.frame import Report
from analysis.report.narrative import Figure
from analysis.report.render import Html

DATASET = "{dataset}"
#: The report's fixed caveats (message keys); add each one here, so a search finds its producer.
CAVEATS = ("{id}.caveat.1",)


@dataclass(frozen=True)
class Answer:
    available: bool
    rows: int


def compute(rep: Report) -> Answer:
    frame = rep.data[DATASET]
    if frame is None or frame.empty:
        return Answer(False, 0)
    rep.cite_file(frame, DATASET)
    return Answer(True, len(frame))


def figures(a: Answer) -> list[Figure]:
    return [Figure(a.rows)]


def short_answer(rep: Report, a: Answer) -> Html:
    if not a.available:
        return rep.short_answer([rep.th("{id}.short.none", period=rep.period)], [])
    return rep.short_answer([rep.th("{id}.short.rows", rows=rep.lang.num(a.rows))], figures(a))


def details(rep: Report, a: Answer) -> Html:
    return Html("")


def caveats(rep: Report) -> Html:
    return rep.caveats(CAVEATS)


def key_figures(a: Answer) -> dict[str, object]:
    return {{"available": a.available, "rows": a.rows}}
'''
