import numpy as np

from retrieval.lexical import LexicalIndex, analyse, stem


def test_analyser_drops_stop_words_and_stems():
    assert analyse("What are the prepayment charges?") == ["prepay", "charg"]
    assert stem("payments") == "payment" and stem("fees") == "fees"


def test_bm25_ranks_the_matching_text_first():
    index = LexicalIndex(["late fee for missed instalments", "gold purity testing", "home loan"])
    scores = index.scores("missed payment late fee")
    assert int(np.argmax(scores)) == 0 and scores[1] == 0


def test_unknown_words_and_empty_index_score_zero():
    assert not LexicalIndex(["gold"]).scores("zebra").any()
    assert LexicalIndex([]).scores("gold").shape == (0,)
