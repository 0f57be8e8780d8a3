def test_search_returns_numbered_citable_passages(tools):
    out = tools["search_policy"].invoke({"query": "prepayment penalty early repayment"})
    first = out["passages"][0]
    assert first["ref"] == 1 and first["doc_id"] == "prepayment"
    assert first["url"].startswith("/kb/prepayment#")


def test_no_knowledge_base_means_no_search_tool(deps):
    from dataclasses import replace

    from tools.registry import build_tools

    names = {t.name for t in build_tools(replace(deps, knowledge=None))}
    assert "search_policy" not in names and "submit_application" in names


def test_handover_queues_a_ticket(thread, events):
    out = thread.call("request_human", reason="applicant asked for a person")
    assert out["ticket_id"] == "hnd_0001" and out["status"] == "queued"
    assert out["requested_at"].startswith("2026-11-25")
    assert events.events == [("handover", "thr_test", out)]
