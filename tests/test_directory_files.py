"""The employee directory files are read again when they change, without a restart; a file with a
mistake is not taken (the directory stays as it was) and the log says where the mistake is."""
from __future__ import annotations

import gc
import logging
import os
import threading
import tomllib

from adapters import cedict, directory_files
from adapters.directory_files import LiveDirectory, load_directory
from core.conversation_settings import ConversationSettings

ORGS = '''
[[organizations]]
id = "o"
people = "people.csv"
routing = true
  [[organizations.sub_organizations]]
  id = "hk"
'''
HEADER = "aad,name,sub_organization,phone\n"


def live(tmp_path, people: str) -> LiveDirectory:
    (tmp_path / "people.csv").write_text(HEADER + people, encoding="utf-8")
    data = tomllib.loads(ORGS)
    settings = ConversationSettings()
    directory = LiveDirectory(load_directory(data, tmp_path, settings), data, tmp_path, settings)
    assert directory.reload_if_changed() is False  # the first look: the files as read at start-up
    return directory


def touch(path, text: str) -> None:
    stat = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stat is not None:  # a later modification time, however fast the test runs
        os.utime(path, (stat.st_atime, stat.st_mtime + 1))


def test_a_new_employee_in_the_file_can_be_routed_to_after_the_reload(tmp_path):
    directory = live(tmp_path, "a1,Alice Wong,hk,+852 9123 4567\n")
    assert directory.reload_if_changed() is False  # nothing changed
    touch(tmp_path / "people.csv", HEADER + "a1,Alice Wong,hk,+852 9123 4567\nb2,Bob Li,hk,+852 9123 4599\n")
    assert directory.reload_if_changed() is True
    hk = directory.get("hk")
    assert directory.of_employee("b2") is hk and hk.employee_by_phone("+85291234599") == "b2"
    assert [e.person.aad for e in directory.people_index(hk).entries] == ["a1", "b2"]


def test_a_file_with_mistakes_is_not_taken_and_the_log_names_each_line(tmp_path, caplog):
    directory = live(tmp_path, "a1,Alice Wong,hk,+852 9123 4567\n")
    before = directory.current
    touch(tmp_path / "people.csv", HEADER + "a1,Alice Wong,hk,+852 9123 4567\nb2,,hk,12\n")
    with caplog.at_level(logging.ERROR):
        assert directory.reload_if_changed() is False
    assert directory.current is before
    assert "people.csv:3: name: required" in caplog.text
    assert "people.csv:3: phone: not a phone number: '12'" in caplog.text

    touch(tmp_path / "people.csv", HEADER + "a1,Alice Wong,hk,+852 9123 4567\nb2,Bob Li,hk,\n")  # fixed
    assert directory.reload_if_changed() is True and directory.of_employee("b2") is not None


def test_a_file_with_one_bad_phone_number_is_taken_without_it_and_the_log_names_its_line(tmp_path, caplog):
    directory = live(tmp_path, "a1,Alice Wong,hk,+852 9123 4567\n")
    touch(tmp_path / "people.csv", HEADER + "a1,Alice Wong,hk,+852 9123 4567\nb2,Bob Li,hk,+852 5677 4023\n")
    with caplog.at_level(logging.WARNING):
        assert directory.reload_if_changed() is True
    assert directory.of_employee("b2") is not None and directory.person("b2").phone == ""
    assert "people.csv:3: phone: not a phone number" in caplog.text


def test_the_routing_assistant_reads_with_cc_cedict_read_once_per_process(tmp_path):
    directory = live(tmp_path, "a1,Alice Wong,hk,+852 9123 4567\n")
    assert directory.glossary is cedict.glossary() and directory.glossary.definitions["退休"].startswith("to retire")
    touch(tmp_path / "people.csv", HEADER + "a1,Alice Wong,hk,+852 9123 4567\nb2,Bob Li,hk,\n")
    assert directory.reload_if_changed() is True
    assert directory.glossary is cedict.glossary() and directory.people_index(directory.get("hk")).words is not None


def test_a_reload_while_the_first_look_prepares_the_directory_waits_for_it(tmp_path, monkeypatch):
    (tmp_path / "people.csv").write_text(HEADER + "a1,Alice Wong,hk,\n", encoding="utf-8")
    data = tomllib.loads(ORGS)
    directory = LiveDirectory(load_directory(data, tmp_path, ConversationSettings()), data, tmp_path)
    preparing, go_on = threading.Event(), threading.Event()
    prepare = directory_files._prepare

    def slow_first(d):  # the first look's preparation (CC-CEDICT: seconds) holds until told
        if not preparing.is_set():
            preparing.set()
            go_on.wait(5)
        return prepare(d)

    monkeypatch.setattr(directory_files, "_prepare", slow_first)
    first = threading.Thread(target=directory.reload_if_changed)
    first.start()
    assert preparing.wait(5)
    touch(tmp_path / "people.csv", HEADER + "a1,Alice Wong,hk,\nb2,Bob Li,hk,\n")
    results: list[bool] = []
    second = threading.Thread(target=lambda: results.append(directory.reload_if_changed()))
    second.start()
    go_on.set()
    first.join(5)
    second.join(5)
    assert results == [True] and directory.of_employee("b2") is not None  # the reload is not lost


def test_a_guest_routed_before_the_first_look_waits_for_the_dictionary_rather_than_going_without(tmp_path):
    (tmp_path / "people.csv").write_text(HEADER + "a1,Alice Wong,hk,\n", encoding="utf-8")
    data = tomllib.loads(ORGS)
    directory = LiveDirectory(load_directory(data, tmp_path, ConversationSettings()), data, tmp_path)
    index = directory.people_index(directory.get("hk"))  # no reload_if_changed yet: the app's first seconds
    assert index.words is not None and directory.glossary is cedict.glossary()
    assert directory.reload_if_changed() is False and directory.people_index(directory.get("hk")) is index


def test_a_prepared_directory_is_kept_out_of_full_collections(tmp_path):
    # Its dictionary and indexes (some 300,000 objects) each full collection walked: ~110 ms, the loop stalled.
    gc.unfreeze()
    try:
        (tmp_path / "people.csv").write_text(HEADER + "a1,Alice Wong,hk,\n", encoding="utf-8")
        data = tomllib.loads(ORGS)
        directory = LiveDirectory(load_directory(data, tmp_path, ConversationSettings()), data, tmp_path)
        assert gc.get_freeze_count() == 0
        directory.people_index(directory.get("hk"))
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()
