"""A sub-organization with its own Official Account: its server URL, its credentials, its guests."""
from __future__ import annotations

import time

from aiohttp.test_utils import TestServer

from core.clock import FakeClock
from simulators.teams_client import TeamsChannel, TeamsUser
from simulators.wechat_api import STATE_KEY, create_wechat_simulator
from simulators.wechat_guest import WeChatPlatform
from simulators.wechat_push import text_message
from tests.e2e.conftest import ALICE, TOKEN, _close, _stack
from tests.e2e.test_groups import Inbox

CN_APP_ID, CN_SECRET, CN_TOKEN = "wxc0ffee0123456789", "cn-secret", "cntoken77"
CN_INBOX = TeamsChannel(team_id="19:team-cn@thread.tacv2", team_name="Contoso China", channel_name="WeChat",
                        channel_id="19:cn-wechat-inbox@thread.tacv2")
LIN = TeamsUser(name="Lin Mei", aad_object_id="11a00000-0000-4000-8000-000000000005")


def organizations(cn_api: str) -> str:
    return f"""
[[official_accounts]]
id = "cn"
name = "Contoso China"
app_id = "{CN_APP_ID}"
app_secret_env = "WECHAT_CN_APP_SECRET"
token_env = "WECHAT_CN_TOKEN"
api_base_url = "{cn_api}"

[[organizations]]
id = "contoso"
  [[organizations.sub_organizations]]
  id = "hk"
  employees = [ {{ aad = "{ALICE.aad_object_id}", name = "Alice Wong" }} ]
  [[organizations.sub_organizations]]
  id = "mainland"
  official_account = "cn"
  inbox = "{CN_INBOX.id}"
  employees = [ {{ aad = "{LIN.aad_object_id}", name = "Lin Mei" }} ]
"""


async def test_a_guest_of_the_other_account_reaches_its_inbox_and_is_answered_through_it(tmp_path):
    clock = FakeClock(start=time.time())
    cn_sim = TestServer(create_wechat_simulator(clock=clock, app_id=CN_APP_ID, app_secret=CN_SECRET), host="127.0.0.1")
    await cn_sim.start_server()
    cn_api = str(cn_sim.make_url("")).rstrip("/")
    stack = await _stack(tmp_path, clock=clock, DEFAULT_TARGET=f"employee:{ALICE.aad_object_id}",
                         organizations=organizations(cn_api), WECHAT_CN_APP_SECRET=CN_SECRET,
                         WECHAT_CN_TOKEN=CN_TOKEN)
    try:
        box = Inbox(stack, CN_INBOX)
        await box.install()
        cn = WeChatPlatform(stack.session, api_url=cn_api, webhook_url=str(stack.app_server.make_url("/api/wechat/cn")),
                            token=CN_TOKEN, aes=None, now=clock.now)
        guest = cn.guest("oCnGuest00000000000000001", "Zhang")
        assert (await guest.say("你好，我在上海")).status == 200
        await stack.settle()
        root = box.thread_root("我在上海")  # the mainland inbox, not DEFAULT_TARGET
        thread = (await stack.components.storage.get("threads", guest.openid, guest.openid)).body
        assert (thread["account"], thread["sub_org"]) == ("cn", "mainland")

        await box.reply(LIN, root, "您好，我是林梅")
        assert [d["json"]["text"]["content"] for d in await cn.delivered(guest.openid)][-1] == "Lin Mei: 您好，我是林梅"
        assert not await stack.wechat.delivered(guest.openid)  # nothing through the default account

        # Lin's QR code belongs to her sub-organization's account.
        await stack.install(LIN)
        await stack.employee_says(LIN, "qr")
        assert "Contoso China" in str(stack.teams_messages(LIN)[-1]["activity"]["attachments"][0]["content"])
        assert cn_sim.app[STATE_KEY].calls("/cgi-bin/qrcode/create") and not stack.sim.calls("/cgi-bin/qrcode/create")

        # The other account's URL checks its own token; an unknown account is not found.
        forged = WeChatPlatform(stack.session, api_url=cn_api,
                                webhook_url=str(stack.app_server.make_url("/api/wechat/cn")),
                                token=TOKEN, aes=None, now=clock.now)
        assert (await forged.push(text_message("oCnGuest00000000000000002", "forged", msg_id=77,
                                               create_time=int(clock.now())))).status in (401, 403)
        async with stack.session.post(stack.app_server.make_url("/api/wechat/nope"), data=b"<xml/>") as r:
            assert r.status == 404
    finally:
        await _close(stack)
        await cn_sim.close()
