"""Compiles the reply catalogues (hub/locale/*/LC_MESSAGES/relevo.po) into the package's
.mo files when Relevo is built, so an installed Relevo ships them; pyproject.toml holds
everything else."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        for po in Path(__file__).parent.glob("hub/locale/*/LC_MESSAGES/*.po"):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogues})
