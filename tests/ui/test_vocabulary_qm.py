"""The window (the compiled .qm through Qt) and the documents (the .ts read without Qt) show
the same Chinese for every label of the vocabulary."""

from __future__ import annotations

import pytest

from app.vocabulary import LABELS, catalogue
from ui.i18n import install_translators, tr_app


@pytest.fixture
def chinese(qapp):
    install_translators("zh_CN")
    yield
    install_translators("zh_CN")


def test_every_label_reads_the_same_in_the_window_and_in_documents(chinese) -> None:
    documents = catalogue("zh_CN")
    differ = {
        text: (tr_app(text), documents.get(text))
        for labels in LABELS.values()
        for text in labels.values()
        if tr_app(text) != documents.get(text) or tr_app(text) == text
    }
    assert not differ
