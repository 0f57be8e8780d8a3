import pytest

from retrieval.evaluation import EvalQuestion, evaluate, load_questions
from retrieval.updates import corpus_documents


def test_question_set_is_large_and_labels_point_at_real_documents():
    questions = load_questions()
    assert len(questions) >= 80
    assert len({q.id for q in questions}) == len(questions)
    known = {d.doc_id for d in corpus_documents()}
    for q in questions:
        assert set(q.relevant) <= known, q.id


def test_metrics_are_computed_per_definition(kb):
    questions = [
        EvalQuestion(id="a", question="late fee missed instalment", relevant=["late-fees"]),
        EvalQuestion(id="b", question="gold purity", relevant=["gold-valuation", "nowhere"]),
        EvalQuestion(id="c", question="zebra crossing", relevant=["nowhere"]),
    ]
    report = evaluate(kb, questions, "lexical", warmup=0)
    assert report.questions == 3
    assert report.recall_at_5 == pytest.approx((1 + 0.5 + 0) / 3)
    assert report.hit_at_5 == pytest.approx(2 / 3)
    assert report.mrr_at_10 == pytest.approx(2 / 3)
    assert report.misses == ["c"]
