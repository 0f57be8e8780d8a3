import json
import logging

from core.logging import JsonFormatter, request_id_var


def test_json_lines_carry_request_id_and_redact_pii():
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "user %s", ("a@b.com",), None)
    record.thread_id = "thr_x"
    token = request_id_var.set("req-1")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["msg"] == "user [EMAIL]"
    assert line["request_id"] == "req-1"
    assert line["thread_id"] == "thr_x"
    assert line["level"] == "INFO"
