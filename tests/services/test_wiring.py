"""services/wiring.py: what is built follows from the ports given, and every job kind the registry
(services/job_kinds.py) names has its handler, none more (a stored job of a kind without one would fail)."""
from __future__ import annotations

from core.clock import FakeClock
from core.journal import JournalSettings
from core.organizations import Directory
from services import job_kinds
from services.wiring import Archive, CrmLog, Options, Ports, wire
from tests.fakes import FakePins, FakeSmtp, FakeTeams, FakeWeChat
from tests.memory_storage import MemoryStorage
from tests.services.test_routing_unit import DIRECTORY as ROUTING

JOURNAL = JournalSettings(sender_domain="bank.example", journal_to="journal@archive.example")
NAMED = {name: value for name, value in vars(job_kinds).items() if name.isupper() and isinstance(value, str)}


class Crm:
    async def log(self, entry, day) -> None:
        pass


def ports(directory: Directory, **optional) -> Ports:
    return Ports(storage=MemoryStorage(), clock=FakeClock(), directory=directory, teams=FakeTeams(),
                 wechat={"default": FakeWeChat()}, **optional)


def test_every_kind_is_named_once():
    assert len(set(NAMED.values())) == len(NAMED)
    assert set(job_kinds.OUTLETS) <= set(NAMED.values())


def test_with_every_port_every_named_kind_has_a_handler_and_none_other():
    smtp = FakeSmtp()
    services = wire(ports(ROUTING, pins=FakePins(), mail=smtp,
                          archive=Archive(JOURNAL, smtp),
                          crms=(CrmLog(job_kinds.CRM_WEBHOOK, Crm(), False),
                                CrmLog(job_kinds.CRM_SALESFORCE, Crm(), True))),
                    Options(instance_id="t", mail_sender="bridge@bank.example"))
    assert None not in (services.validation, services.routing, services.mail)
    assert set(services.worker.handlers) == set(NAMED.values())


def test_without_the_optional_ports_their_services_and_jobs_are_not_there():
    services = wire(ports(Directory.open()), Options(instance_id="t"))
    assert (services.validation, services.routing, services.mail, services.outlets) == (None, None, None, ())
    assert set(NAMED.values()) - set(services.worker.handlers) == {
        job_kinds.VALIDATION_TICK, job_kinds.NOTIFY_MAIL, *job_kinds.OUTLETS}
    assert services.inbound.validation is None and services.connections.mail is None
